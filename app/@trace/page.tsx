// The home page's trace: the same panel as on every other path ([...path]).
export { default } from "./[...path]/page";
