// /how-it-works: the teaching layer's page (teaching/how-it-works).
export { default } from "@/teaching/how-it-works/page";
