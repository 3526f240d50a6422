/* The one way a demo fetches a file of the site (weights, samples, exercise files).
 *
 * Why: offline, fetch() rejects with a bare «TypeError: Failed to fetch», which a room
 * full of students then reads on the projector. Every file a demo needs is in the service
 * worker's precache (sitebuild/sw.py), so this only happens when the course was never
 * kept in this browser (or a file is missing from the build); the message says so in
 * Spanish and says what to do, and the error carries the error record of demos/errors.py
 * with a code per cause ("offline", "missing_file").
 */
import {recordError} from "./errors.js";

/** A Spanish error with its record (./errors.js); `original` goes to its trace. */
export function assetError(message, code, original = "") {
  return recordError({kind: "input", message, type: "AssetError", code, traceback: String(original || "")});
}

/** fetch(url) that resolves only to an ok Response; `what` names the file for the reader
 * («los pesos de la red «lenet»», «la foto de ejemplo «gato»»). */
export async function fetchAsset(url, what) {
  let resp;
  try {
    resp = await fetch(url);
  } catch (err) {
    const why = navigator.onLine === false ? "no hay conexión" : "la red no responde";
    throw assetError(`No se pudo descargar ${what}: ${why} y este navegador aún no guarda una `
      + "copia del curso. Abre el curso una vez con conexión (se guarda entero, con sus demos, "
      + "para usarlo sin red) y vuelve a intentarlo.", "offline", err);
  }
  if (!resp.ok) {
    throw assetError(`No se encuentra ${what} en el sitio (HTTP ${resp.status} en `
      + `${new URL(url, location.href).pathname}).`, "missing_file", `HTTP ${resp.status}`);
  }
  return resp;
}
