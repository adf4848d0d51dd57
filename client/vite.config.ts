import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defineConfig } from "vite";

// In `npm run dev` the page is served by Vite with hot reload, and every API call goes
// to the running service (`npm start`, or METERUSAGE_URL).
const service = process.env.METERUSAGE_URL ?? "http://localhost:8080";

export default defineConfig({
  root: import.meta.dirname,
  plugins: [svelte()],
  build: { outDir: "dist", emptyOutDir: true },
  server: {
    proxy: {
      "/api": service,
      "/usage": service,
      "/meterusage.v1.MeterUsageService": service,
    },
  },
});
