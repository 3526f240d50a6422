/* The one reading of a number the reader typed, for every widget: a decimal comma or
 * point («0,5» and «0.5»), the minus sign copied from the lectures («−1»), an empty or
 * non-numeric box and a huge value each refused with a Spanish message naming the box,
 * never silently 0. Bounds and "whole number" are the caller's, so the message says them.
 *
 *   parseNumber("2,5", {label: "Guía s", min: 0, max: 20})  -> {value: 2.5}
 *   parseNumber("", {label: "Semilla"})                      -> {error: "Escribe un número en «Semilla»."}
 */

/** A number as typed: optional sign, digits with one decimal comma or point, an exponent. */
const NUMBER = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)(e[+-]?\d+)?$/i;
const HUGE = 1e9;  // beyond any value a widget can use: «demasiado grande», not Infinity

/** The text of a count with its noun in Spanish: plural(1, "paso") -> "1 paso", 2 -> "2 pasos". */
function plural(n, one, many = one + "s") {
  return `${n.toLocaleString("es-ES")} ${n === 1 ? one : many}`;
}

/** A number for Spanish text: «0,5», «1.000» is not used (small values only). */
function decimal(v) {
  return String(v).replace(".", ",");
}

/** {value} or {error: Spanish message}. Options: label (the box's name), min, max,
 * integer (a whole number is required). */
function parseNumber(text, {label = "el campo", min = -Infinity, max = Infinity, integer = false} = {}) {
  const t = String(text ?? "").trim().replace(/\u2212/g, "-").replace(/\s+/g, "");
  if (t === "") return {error: `Escribe un número en «${label}».`, code: "empty"};
  if (!NUMBER.test(t)) return {error: `«${text.trim()}» no es un número: escribe por ejemplo 2 o 0,5 en «${label}».`, code: "not_a_number"};
  const v = Number(t.replace(",", "."));
  const range = Number.isFinite(min) && Number.isFinite(max) ? ` (entre ${decimal(min)} y ${decimal(max)})` : "";
  if (!Number.isFinite(v) || Math.abs(v) > HUGE) {
    return {error: `«${label}» es demasiado grande${range}.`, code: "too_large"};
  }
  if (integer && !Number.isInteger(v)) return {error: `«${label}» debe ser un número entero${range}.`, code: "not_integer"};
  if (v < min || v > max) {
    const want = range ? `estar entre ${decimal(min)} y ${decimal(max)}` : v < min ? `ser al menos ${decimal(min)}` : `ser como mucho ${decimal(max)}`;
    return {error: `«${label}» debe ${want}; has escrito ${decimal(v)}.`, code: v > max ? "too_large" : "too_small"};
  }
  return {value: v};
}

/* The kernel's hint for several numbers in one box (a matrix pasted into a kernel cell):
 * the decimal-comma rule that demos/imageops.py's parse_kernel_rows applies. */
const DECIMAL_COMMA_RULE = "Números separados por espacios: la coma es decimal (0,5 1 -0,5); "
  + "separados por comas, usa punto decimal (0.5, 1, -0.5).";

export {parseNumber, plural, decimal, DECIMAL_COMMA_RULE};
