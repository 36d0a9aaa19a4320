// Ink loads React DevTools only when DEV=true; the bundle ships this no-op in its place.
export default { initialize() {}, connectToDevTools() {} };
