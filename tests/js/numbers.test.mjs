// docs/assets/js/widgets/numbers.js: reading the numbers a reader types, writing them in Spanish.
import {test} from "node:test";
import assert from "node:assert/strict";
import {parseNumber, plural, decimal} from "../../docs/assets/js/widgets/numbers.js";

test("a decimal comma and a decimal point are the same number", () => {
  for (const [text, value] of [["2,5", 2.5], ["2.5", 2.5], ["0,5", 0.5], [",5", 0.5], [".5", 0.5], ["5,", 5],
                               ["-1,25", -1.25], ["+3", 3], ["  7 ", 7], ["1e3", 1000], ["2,5E-1", 0.25],
                               ["1 000", 1000], ["0", 0], ["-0", -0]]) {
    assert.deepEqual(parseNumber(text), {value}, text);
  }
});

test("the minus sign copied from the lectures («−1») is a minus", () => {
  assert.deepEqual(parseNumber("\u22121"), {value: -1});
  assert.deepEqual(parseNumber("\u22120,5"), {value: -0.5});
});

test("an empty box and text that is no number are refused, naming the box", () => {
  assert.deepEqual(parseNumber("", {label: "Semilla"}), {error: "Escribe un número en «Semilla».", code: "empty"});
  assert.deepEqual(parseNumber("   "), {error: "Escribe un número en «el campo».", code: "empty"});
  assert.deepEqual(parseNumber(undefined, {label: "Paso"}).code, "empty");
  for (const text of ["abc", "1,2,3", "1.2.3", "2,5.1", "--1", "1e", "e5", "0x10", "Infinity", "NaN", "1/2"]) {
    const r = parseNumber(text, {label: "Guía"});
    assert.equal(r.code, "not_a_number", text);
    assert.equal(r.error, `«${text}» no es un número: escribe por ejemplo 2 o 0,5 en «Guía».`);
    assert.equal("value" in r, false);
  }
});

test("huge values are «demasiado grande», never Infinity", () => {
  assert.deepEqual(parseNumber("1e400", {label: "Paso"}), {error: "«Paso» es demasiado grande.", code: "too_large"});
  assert.deepEqual(parseNumber("2000000000", {label: "Paso", min: 1, max: 100}),
                   {error: "«Paso» es demasiado grande (entre 1 y 100).", code: "too_large"});
  assert.deepEqual(parseNumber("1e9"), {value: 1e9});
});

test("whole numbers and bounds are the caller's, and the message says them with a comma", () => {
  assert.deepEqual(parseNumber("2,5", {label: "Semilla", integer: true}),
                   {error: "«Semilla» debe ser un número entero.", code: "not_integer"});
  assert.deepEqual(parseNumber("3,0", {label: "Semilla", integer: true}), {value: 3});
  assert.deepEqual(parseNumber("2,5", {label: "Guía s", min: 0, max: 20}), {value: 2.5});
  assert.deepEqual(parseNumber("25", {label: "Guía s", min: 0, max: 20}),
                   {error: "«Guía s» debe estar entre 0 y 20; has escrito 25.", code: "too_large"});
  assert.deepEqual(parseNumber("-0,5", {label: "Guía s", min: 0, max: 20}),
                   {error: "«Guía s» debe estar entre 0 y 20; has escrito -0,5.", code: "too_small"});
  assert.deepEqual(parseNumber("0,05", {label: "Tasa", min: 0.1}),
                   {error: "«Tasa» debe ser al menos 0,1; has escrito 0,05.", code: "too_small"});
  assert.deepEqual(parseNumber("1,5", {label: "Tasa", max: 1}),
                   {error: "«Tasa» debe ser como mucho 1; has escrito 1,5.", code: "too_large"});
  assert.deepEqual(parseNumber("7,5", {label: "k", min: 0.5, max: 7.5, integer: false}), {value: 7.5});
});

test("plural: the noun agrees with the count, counts written the Spanish way", () => {
  assert.equal(plural(1, "paso"), "1 paso");
  assert.equal(plural(2, "paso"), "2 pasos");
  assert.equal(plural(0, "paso"), "0 pasos");
  assert.equal(plural(1, "canal", "canales"), "1 canal");
  assert.equal(plural(3, "canal", "canales"), "3 canales");
  assert.equal(plural(12345, "píxel", "píxeles"), "12.345 píxeles");
});

test("decimal: a decimal comma for Spanish text", () => {
  assert.equal(decimal(0.5), "0,5");
  assert.equal(decimal(-1.25), "-1,25");
  assert.equal(decimal(3), "3");
});
