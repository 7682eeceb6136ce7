/** The figures `npm run bench` runs, in this order: one module per line (see figure.ts). */
export const FIGURE_MODULES = ["./latency.ts", "./cold-start.ts", "./weight.ts", "./pagination.ts", "./signing.ts", "./large-body.ts"];
