export * from "./areas";
export * from "./agencies";
export * from "./users";
export * from "./audit";
export * from "./cases";
export * from "./meetings";
export * from "./preparation";
export * from "./actions";
