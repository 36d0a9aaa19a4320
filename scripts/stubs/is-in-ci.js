// Ink switches to "print only the last frame" when it sees CI=true. onedeck is an interactive
// full-screen program: on a terminal it must draw live whatever CI says, so the bundle (and the
// tests, through vitest.config.ts) use this in place of the is-in-ci package.
export default false;
