/* output-size-quiz: a calculator for the output size of a convolution or pooling
 * (imageops.output_size) and seed 003's LeNet questions, checked by the demos' Python
 * (samples.check_answer puts the reader's answer back into the formula).
 *
 *   <div class="demo" data-demo="output-size-quiz"></div>
 */
import {h, uid, guardKeys, coalesce, placeErrors, readNumber, isInterrupted, toRecord} from "./common.js";

  const FIELDS = [
    ["n", "Entrada n", 32], ["k", "Núcleo k", 5], ["stride", "Paso s", 1],
    ["padding", "Relleno p", 0], ["dilation", "Dilatación d", 1],
  ];
  const QUESTIONS = [
    ["lenet-conv", "LeNet-5 recibe imágenes de 32×32 y su primera convolución, sin relleno y con paso 1, "
      + "produce mapas de 28×28. ¿De qué tamaño es su núcleo (k)?"],
    ["lenet-pool", "Después, una agrupación con paso 2 reduce esos mapas de 28×28 a 14×14. "
      + "¿De qué tamaño es su ventana (k)?"],
  ];

export default {name: "output-size-quiz", mount(el, {runtime: rt, ui}) {
    guardKeys(el);
    const inputs = {};
    const calc = h("fieldset", {class: "cw-fieldset"}, h("legend", {text: "Calculadora del tamaño de salida"}));
    const row = h("div", {class: "cw-row"});
    for (const [key, label, value] of FIELDS) {
      const id = uid("cw-" + key);
      inputs[key] = h("input", {type: "text", id, value, class: "cw-numbox", inputmode: "decimal", autocomplete: "off",
                                "data-field": key});
      inputs[key].addEventListener("input", () => update());
      row.append(h("div", {class: "cw-control cw-tight"}, h("label", {for: id}, label), inputs[key]));
    }
    const formula = h("p", {class: "cw-formula", "aria-live": "polite"});
    calc.append(row, formula);
    el.append(calc);
    placeErrors(el, calc);

    function fail(err) {
      ui.error(err);  // the message once, the box it names marked
      formula.textContent = "Sin resultado: corrige el valor indicado.";
      el.dataset.output = "";
    }

    async function compute() {
      const v = {};
      for (const [key, label] of FIELDS) {
        const box = inputs[key];
        const r = readNumber({box, name: key, read: () => box.value.trim()}, label);
        if (r.error) { fail(r.error); return; }
        v[key] = r.value;
      }
      let o;
      try {
        o = await rt.call("demos.imageops", "output_size", [v.n, v.k], {stride: v.stride, padding: v.padding, dilation: v.dilation});
      } catch (err) {
        if (isInterrupted(err)) throw err;
        fail(err);
        return;
      }
      ui.error(null);
      formula.textContent = `o = ⌊(n + 2p − d·(k − 1) − 1) / s⌋ + 1 = ⌊(${v.n} + 2·${v.padding} − ${v.dilation}·(${v.k} − 1) − 1) / ${v.stride}⌋ + 1 = ${o}`;
      el.dataset.output = String(o);
    }
    const update = coalesce(el, compute);
    update();

    // ---- the questions
    QUESTIONS.forEach(([name, text], i) => {
      const id = uid("cw-q");
      const answer = h("input", {type: "text", id, inputmode: "numeric", size: 4, autocomplete: "off"});
      const feedback = h("p", {class: "cw-feedback", "aria-live": "polite"});
      const form = h("form", {class: "cw-fieldset cw-question", "data-question": name},
        h("p", {}, h("label", {for: id}, `Pregunta ${i + 1}. ${text}`)),
        h("div", {class: "cw-row"}, answer, h("button", {type: "submit"}, "Comprobar")),
        feedback);
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        feedback.textContent = "Comprobando…";
        delete feedback.dataset.ok;
        try {
          const res = await rt.call("demos.samples", "check_answer", [name, answer.value]);
          feedback.textContent = res.message;
          feedback.dataset.ok = String(res.correct);
          answer.setAttribute("aria-invalid", String(!res.correct));
        } catch (err) {
          feedback.textContent = toRecord(err).message;
          feedback.dataset.ok = "false";
          answer.setAttribute("aria-invalid", "true");
        }
        form.dataset.checked = String(Number(form.dataset.checked || 0) + 1);
      });
      el.append(form);
    });
}};
