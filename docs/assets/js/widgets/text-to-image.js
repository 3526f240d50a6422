/* text-to-image: the course's miniature Stable Diffusion, computed by NumPy in the page.
 * A prompt over the shared vocabulary goes through the mini-CLIP text encoder; a latent
 * U-Net with cross-attention removes the noise of a 4×8×8 latent in DDIM steps with
 * classifier-free guidance; the autoencoder's decoder turns it into a 28×28 digit.
 * Per step: the latent's four channels, the image decoded from that step's estimate, and
 * each word's cross-attention map (which positions read «inclinado»). «Comparar» runs a
 * second prompt from the same noise; «Desde un dibujo» is img2img with a strength.
 *
 *   <div class="demo" data-demo="text-to-image"></div>
 *
 * State: data-state = idle | running | done | error, data-prompt, data-step ("i/n"),
 * data-sample (JSON of the final 28×28 image in [0, 1]) and data-sample-other while
 * comparing, and an aria-live line. Python: demos/sd_demos.py. */
import {h, guardKeys, readBox, plural} from "./common.js";
import {loadNet, provenance, paintGray, plane, pct, errorText, ndarray, toTyped, whenVisible} from "./nets-common.js";
import {drawPad, SIDE, sized} from "./draw-pad.js";

const NETS = ["clip", "latent_ae", "latent_unet"];

function heat(g) {
  return [Math.round(255 * Math.min(1, 2 * g)), Math.round(255 * Math.max(0, 2 * g - 0.6)), 0];
}

export default {
  name: "text-to-image",
  mount(el, {runtime, ui}) {
    guardKeys(el);
    let nets = null, alive = true, running = false, cancel = false, frames = [], tokens = [];
    const call = async (func, args = [], kwargs = {}) => {
      try {
        return await nets[0].call(func, args, kwargs);
      } catch (err) {
        if (!err || !err.record || err.record.code !== "not_loaded") throw err;
        for (const n of nets) await n.reload();  // the worker was restarted: all three again
        return nets[0].call(func, args, kwargs);
      }
    };
    const box = (fieldName, value, label, size = "4") => h("input", {type: "text", autocomplete: "off", size,
      class: "cw-numbox", value, "data-field": fieldName, "aria-label": label});
    const prompt = h("input", {type: "text", autocomplete: "off", size: "22", class: "cw-prompt", value: "un siete",
                               "data-field": "prompt", "aria-label": "Texto (prompt)", spellcheck: "false"});
    const other = h("input", {type: "text", autocomplete: "off", size: "18", class: "cw-prompt", value: "un siete grueso",
                              "data-field": "other", "aria-label": "Otro texto, misma semilla", spellcheck: "false"});
    const guidance = box("guidance", "3", "Escala de guía s");
    const steps = box("steps", "25", "Pasos DDIM");
    const seed = box("seed", "0", "Semilla");
    const strength = h("input", {type: "range", min: "0", max: "1", step: "0.05", value: "0.6",
                                 "data-field": "strength", "aria-label": "Intensidad de img2img"});
    const strengthOut = h("output", {text: "0,6"});
    const go = h("button", {type: "button", disabled: true}, "Generar (cargando las redes…)");
    const pair = h("button", {type: "button", disabled: true}, "Comparar");
    const fromDrawing = h("button", {type: "button", disabled: true}, "Desde el dibujo");
    const stop = h("button", {type: "button", disabled: true}, "Detener");
    const vocab = h("div", {class: "cw-vocab", role: "group", "aria-label": "Vocabulario: pulsa una palabra para añadirla"});
    const promptInfo = h("p", {class: "cw-note", "aria-live": "polite"});
    const latent = Array.from({length: 4}, (_, c) => h("canvas", {class: "cw-pixels cw-latent", role: "img",
      "aria-label": `Canal ${c + 1} del latente (8×8)`}));
    const image = h("canvas", {class: "cw-pixels", role: "img", "aria-label": "Imagen decodificada de la estimación de este paso"});
    const imageOther = h("canvas", {class: "cw-pixels", role: "img", "aria-label": "La del otro texto, misma semilla"});
    const imageCap = h("figcaption", {text: "imagen"});
    const otherCap = h("figcaption", {text: ""});
    const otherFig = h("figure", {class: "cw-figure"}, imageOther, otherCap);
    const maps = h("div", {class: "demo-row cw-attn-row", role: "group", "aria-label": "Atención cruzada de cada palabra"});
    const scrub = h("input", {type: "range", min: "0", max: "0", value: "0", "aria-label": "Paso mostrado"});
    const progress = h("progress", {max: "1", value: "0", "aria-label": "Progreso del muestreo"});
    const live = h("p", {class: "cw-result", "aria-live": "polite", text: "Cargando el mini-CLIP, el autocodificador y la U-Net…"});
    const pad = drawPad({label: "Lienzo para dibujar el punto de partida de img2img"});
    const startPick = h("select", {"aria-label": "Punto de partida de img2img"},
      h("option", {value: ""}, "mi dibujo"));
    const padBox = h("details", {class: "cw-img2img"}, h("summary", {text: "img2img: partir de un dibujo"}),
      pad.root, h("div", {class: "cw-controls"}, h("label", {class: "cw-control"}, "Partir de ", startPick),
        h("label", {class: "cw-control"}, "Intensidad ", strength, " ", strengthOut), fromDrawing));
    const field = (label, input) => h("label", {class: "cw-control"}, label, " ", input);
    const imageFig = h("figure", {class: "cw-figure"}, image, imageCap);
    // On a slide (widgets.css's stage) the controls and messages are the left column and the
    // three .demo-row (images, the words' maps, the step slider) the right one.
    el.append(
      h("div", {class: "cw-controls"}, field("Texto", prompt), go, stop),
      h("div", {class: "cw-controls"}, field("Guía s", guidance), field("Pasos", steps), field("Semilla", seed)),
      vocab, promptInfo,
      h("div", {class: "cw-controls"}, field("Otro texto", other), pair),
      padBox,
      h("div", {class: "demo-row"}, imageFig,
        h("figure", {class: "cw-figure"}, h("div", {class: "cw-latent-grid"}, ...latent),
          h("figcaption", {text: "latente 4×8×8"}))),
      maps,
      h("div", {class: "demo-row cw-scrub"}, field("Paso mostrado", scrub), progress),
      live);
    el.dataset.state = "idle";
    for (const c of [image, imageOther]) sized(c, "thumb");
    for (const c of latent) sized(c, "chan");
    strength.addEventListener("input", () => { strengthOut.textContent = String(strength.value).replace(".", ","); });

    function paintLatent(rec) {
      const data = toTyped(rec);
      let m = 0;
      for (const v of data) m = Math.max(m, Math.abs(v));
      latent.forEach((c, k) => paintGray(c, data.subarray(64 * k, 64 * (k + 1)), 8, 8, {lo: -m, hi: m}));
    }

    function paintMaps(rec, words) {
      const data = toTyped(rec);
      maps.replaceChildren();
      words.forEach((w, k) => {
        const c = h("canvas", {class: "cw-pixels", role: "img", "aria-label": `Dónde lee la palabra «${w}»`});
        sized(c, "word");
        paintGray(c, data.subarray(64 * k, 64 * (k + 1)), 8, 8, {lo: 0, hi: 1, colormap: heat});
        maps.append(h("figure", {class: "cw-figure"}, c, h("figcaption", {text: w === "<fin>" ? "⟨fin⟩" : `«${w}»`})));
      });
    }

    function show(i) {
      const f = frames[i];
      if (!f) return;
      paintLatent(f.latent);
      const [d, hh, ww] = plane(f.image);
      paintGray(image, d, hh, ww, {lo: 0, hi: 1});
      imageCap.textContent = i === 0 ? "punto de partida" : `estimación en el paso ${i} de ${frames.length - 1}`;
      if (f.image_other) {
        const [e] = plane(f.image_other);
        paintGray(imageOther, e, hh, ww, {lo: 0, hi: 1});
        otherCap.textContent = `«${el.dataset.promptOther}», mismo ruido`;
      }
      if (f.attention) paintMaps(f.attention, tokens);
    }
    scrub.addEventListener("input", () => show(Number(scrub.value)));

    async function describePrompt() {
      if (!nets) return;
      try {
        const r = await call("prompt_notes", [prompt.value]);
        promptInfo.textContent = r.notes.length ? r.notes.join(" ") : `Palabras leídas: ${r.words.join(" ")}.`;
        promptInfo.classList.toggle("cw-warn", r.notes.length > 0);
      } catch (err) { ui.error(err); }
    }
    let describeTimer = null;
    prompt.addEventListener("input", () => { clearTimeout(describeTimer); describeTimer = setTimeout(describePrompt, 250); });
    prompt.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); sample(); } });

    function setRunning(on) {
      running = on;
      go.disabled = pair.disabled = fromDrawing.disabled = on;
      stop.disabled = !on;
    }
    const rounded = (rec) => JSON.stringify(Array.from(plane(rec)[0], (v) => Math.round(v * 1000) / 1000));

    async function sample({compare = false, img2img = false} = {}) {
      if (running || !nets) return;
      const read = [[guidance, readBox(guidance, "Guía s", {min: 0, max: 20})],
                    [steps, readBox(steps, "Pasos", {min: 1, max: 100, integer: true})],
                    [seed, readBox(seed, "Semilla", {min: 0, max: 2 ** 31 - 1, integer: true})]];
      for (const [inp, r] of read) {
        if (!r.error) continue;
        ui.error(r.error);
        inp.focus();
        return;
      }
      const [s, n, sd] = read.map(([, r]) => r.value);
      const kwargs = {};
      if (compare) kwargs.other = other.value;
      if (img2img) {
        if (startPick.value !== "") {
          kwargs.sample = Number(startPick.value);  // a held-out digit: img2img by keyboard too
        } else {
          const g = pad.gray();
          kwargs.image = g ? ndarray(g, [SIDE, SIDE]) : null;
        }
        kwargs.strength = Number(strength.value);
      }
      ui.error(null);
      cancel = false;
      setRunning(true);
      el.dataset.state = "running";
      el.dataset.prompt = prompt.value;
      delete el.dataset.sample;
      delete el.dataset.sampleOther;
      if (compare) { el.dataset.promptOther = other.value; imageFig.after(otherFig); }
      else { delete el.dataset.promptOther; otherFig.remove(); }
      try {
        const start = await call("t2i_start", [prompt.value, s, n, sd], kwargs);
        tokens = start.words[0].concat(["<fin>"]);
        if (start.start) el.dataset.start = rounded(start.start);  // the drawing as the network took it
        else delete el.dataset.start;
        const notes = start.notes.flat();
        frames = [{latent: start.latent, image: start.image}];
        const total = start.timesteps.length;
        scrub.max = "0"; scrub.value = "0";
        progress.value = 0;
        show(0);
        let last = start;
        for (let i = 1; i <= total; i++) {
          if (cancel || !alive) {
            el.dataset.state = "idle";
            live.textContent = `Muestreo detenido en el paso ${i - 1} de ${total}. Pulsa «Generar» para empezar otro.`;
            return;
          }
          last = await call("t2i_step");
          frames.push(last);
          scrub.max = String(i); scrub.value = String(i);
          progress.value = i / total;
          el.dataset.step = `${i}/${total}`;
          live.textContent = `Paso ${i} de ${total} (t = ${last.t + 1})…`;
          show(i);
        }
        if (!total) progress.value = 1;
        el.dataset.sample = rounded(last.sample);
        if (last.sample_other) el.dataset.sampleOther = rounded(last.sample_other);
        const [d, hh, ww] = plane(last.sample);
        paintGray(image, d, hh, ww, {lo: 0, hi: 1});
        imageCap.textContent = "resultado";
        el.dataset.state = "done";
        const what = img2img
          ? (total ? `img2img con intensidad ${String(kwargs.strength).replace(".", ",")}: ${plural(total, "paso")} desde ${kwargs.sample === undefined ? "tu dibujo" : "el dígito de prueba"} con ruido`
            : `intensidad 0: ningún paso, es la reconstrucción del autocodificador de ${kwargs.sample === undefined ? "tu dibujo" : "el dígito de prueba"}`)
          : `${plural(total, "paso")} DDIM`;
        live.textContent = `Listo: «${prompt.value}», ${what}, guía s = ${String(s).replace(".", ",")}, semilla ${sd}. `
          + (notes.length ? `${[...new Set(notes)].join(" ")} ` : "")
          + (total ? "Mueve «Paso mostrado» para repasar los pasos." : "");
      } catch (err) {
        el.dataset.state = "error";
        ui.error(err);
        live.textContent = `El muestreo falló: ${errorText(err)}`;
      } finally {
        setRunning(false);
      }
    }
    go.addEventListener("click", () => sample());
    pair.addEventListener("click", () => sample({compare: true}));
    fromDrawing.addEventListener("click", () => sample({img2img: true}));
    stop.addEventListener("click", () => { cancel = true; });

    const unwatch = whenVisible(el, async () => {
      try {
        nets = [];
        for (const name of NETS) nets.push(await loadNet(runtime, name, {module: "demos.sd_demos"}));
      } catch (err) {
        nets = null;
        el.dataset.state = "error";
        ui.error(err);
        live.textContent = errorText(err);
        return;
      }
      if (!alive) return;
      const DIGITS = ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"];
      startPick.append(...nets[0].summary.samples.labels.map((d, i) => h("option", {value: String(i)},
        `dígito de prueba n.º ${i + 1} (un ${DIGITS[d]})`)));
      vocab.replaceChildren("Vocabulario: ", ...nets[0].summary.vocabulary.map((w) => {
        const b = h("button", {type: "button", class: "cw-word", text: w});
        b.addEventListener("click", () => { prompt.value = `${prompt.value.trim()} ${w}`.trim(); describePrompt(); });
        return b;
      }));
      el.append(provenance(nets[2].entry));
      el.dataset.ready = "true";
      go.textContent = "Generar";
      setRunning(false);
      live.textContent = "Escribe un texto con las palabras del vocabulario y pulsa «Generar».";
      describePrompt();
    });
    return () => { alive = false; cancel = true; unwatch(); };
  },
};
