// Import this first in every production entry point (`npm start`, `npm run worker`, `npm run digest`).
// React, React DOM and Express choose their production or development code from NODE_ENV when they
// are loaded, and `npm start` serves the production build: left unset, NODE_ENV would have them load
// their development code, with its extra checks and warnings (finding 31 of docs/performance.md). So
// an unset NODE_ENV means production here, except under `--dev`; a value that is set is kept.
if (!process.env.NODE_ENV && !process.argv.includes("--dev")) process.env.NODE_ENV = "production";

export {};
