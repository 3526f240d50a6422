/* latent-explorer: the miniature Stable Diffusion's latent space. A digit, its 4×8×8 latent
 * (256 numbers for 784 pixels) and what the decoder makes of it; the straight line between
 * two digits walked in latent space and in pixel space; the same amount of noise added to
 * the latent and to the pixels.
 *
 *   <div class="demo" data-demo="latent-explorer"></div>
 *
 * State: data-ready, data-digit (the held-out digit shown), an aria-live line.
 * Python: demos/sd_demos.py, weights assets/models/latent_ae.npz (+ clip.npz for the digits). */
import {h, guardKeys} from "./common.js";
import {loadNet, provenance, paintGray, plane, pct, errorText, toTyped, whenVisible} from "./nets-common.js";
import {sized} from "./draw-pad.js";

const DIGITS = ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"];
const FRAMES = 7;

export default {
  name: "latent-explorer",
  mount(el, {runtime, ui}) {
    guardKeys(el);
    let ae = null, alive = true;
    const pickA = h("select", {"aria-label": "Dígito A"});
    const pickB = h("select", {"aria-label": "Dígito B"});
    const noise = h("input", {type: "range", min: "0", max: "2", step: "0.1", value: "0.5", "data-field": "amount",
                              "aria-label": "Cantidad de ruido"});
    const noiseOut = h("output", {text: "0,5"});
    const pix = (label, size = "thumb") => sized(h("canvas", {class: "cw-pixels", role: "img", "aria-label": label}), size);
    const input = pix("Dígito A (28×28)"), decoded = pix("Dígito A decodificado de su latente");
    const channels = Array.from({length: 4}, (_, k) => pix(`Canal ${k + 1} del latente (8×8)`, "chan"));
    const latentRow = Array.from({length: FRAMES}, (_, k) => pix(`Interpolación en el latente, paso ${k + 1}`, "tiny"));
    const pixelRow = Array.from({length: FRAMES}, (_, k) => pix(`Interpolación en píxeles, paso ${k + 1}`, "tiny"));
    const noisyLatent = pix("Ruido añadido al latente, decodificado"), noisyPixels = pix("El mismo ruido añadido a los píxeles");
    const live = h("p", {class: "cw-result", "aria-live": "polite", text: "Cargando el autocodificador…"});
    const field = (label, input_) => h("label", {class: "cw-control"}, label, " ", input_);
    const fig = (canvas, text) => h("figure", {class: "cw-figure"}, canvas, h("figcaption", {text}));
    el.append(
      h("div", {class: "cw-controls"}, field("Dígito A", pickA), field("Dígito B", pickB)),
      h("div", {class: "cw-controls"}, field("Ruido", noise), noiseOut),
      live,
      h("div", {class: "demo-row"}, fig(input, "A: 784 píxeles"),
        h("figure", {class: "cw-figure"}, h("div", {class: "cw-latent-grid"}, ...channels),
          h("figcaption", {text: "latente 4×8×8 = 256"})),
        fig(decoded, "decodificado")),
      h("div", {class: "demo-row"}, h("figure", {class: "cw-figure cw-strips"},
        h("div", {class: "cw-strip"}, ...latentRow), h("div", {class: "cw-strip"}, ...pixelRow),
        h("figcaption", {text: "De A a B: por el latente (arriba) y mezclando píxeles (abajo)"}))),
      h("div", {class: "demo-row"}, fig(noisyLatent, "ruido en el latente"), fig(noisyPixels, "ruido en los píxeles")));

    const paint = (c, rec) => { const [d, hh, ww] = plane(rec); paintGray(c, d, hh, ww, {lo: 0, hi: 1}); };

    async function update() {
      try {
        const a = Number(pickA.value), b = Number(pickB.value);
        const v = await ae.call("latent_view", [], {sample: a});
        paint(input, v.digit);
        paint(decoded, v.decoded);
        const z = toTyped(v.latent);
        let m = 0;
        for (const x of z) m = Math.max(m, Math.abs(x));
        channels.forEach((c, k) => paintGray(c, z.subarray(64 * k, 64 * (k + 1)), 8, 8, {lo: -m, hi: m}));
        const line = await ae.call("latent_interpolate", [a, b, FRAMES]);
        const lat = toTyped(line.latent), px = toTyped(line.pixels);
        latentRow.forEach((c, k) => paintGray(c, lat.subarray(784 * k, 784 * (k + 1)), 28, 28, {lo: 0, hi: 1}));
        pixelRow.forEach((c, k) => paintGray(c, px.subarray(784 * k, 784 * (k + 1)), 28, 28, {lo: 0, hi: 1}));
        await updateNoise();
        el.dataset.digit = String(a);
        live.textContent = `El latente guarda el dígito en 256 números, ${(784 / 256).toLocaleString("es-ES", {maximumFractionDigits: 1})} veces `
          + "menos que sus píxeles. Por el latente, el camino de A a B pasa por formas de dígito; mezclando píxeles, "
          + "por dos dígitos superpuestos.";
      } catch (err) {
        ui.error(err);
        live.textContent = errorText(err);
      }
    }
    async function updateNoise() {
      const r = await ae.call("latent_noise", [Number(pickA.value), Number(noise.value)]);
      paint(noisyLatent, r.latent);
      paint(noisyPixels, r.pixels);
    }
    pickA.addEventListener("change", update);
    pickB.addEventListener("change", update);
    noise.addEventListener("input", () => {
      noiseOut.textContent = String(noise.value).replace(".", ",");
      updateNoise().catch((err) => ui.error(err));
    });

    const unwatch = whenVisible(el, async () => {
      try {
        const clip = await loadNet(runtime, "clip", {module: "demos.sd_demos"});  // the held-out digits
        ae = await loadNet(runtime, "latent_ae", {module: "demos.sd_demos"});
        if (!alive) return;
        const options = () => clip.summary.samples.labels.map((d, i) => h("option", {value: String(i)}, `n.º ${i + 1} (un ${DIGITS[d]})`));
        pickA.replaceChildren(...options());
        pickB.replaceChildren(...options());
        pickB.value = "1";
        el.append(provenance(ae.entry));
        el.dataset.ready = "true";
        await update();
      } catch (err) {
        ui.error(err);
        live.textContent = errorText(err);
      }
    });
    return () => { alive = false; unwatch(); };
  },
};
