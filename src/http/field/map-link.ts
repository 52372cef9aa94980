// A map link for a place, on OpenStreetMap (no key, no script of theirs on our pages: it opens in the phone's
// browser or map app). Used by the worker's task and by the supervisor's review of a visit's GPS fix.
export function mapLink(latitude: number, longitude: number): string {
  const lat = String(latitude);
  const lon = String(longitude);
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=17/${lat}/${lon}`;
}
