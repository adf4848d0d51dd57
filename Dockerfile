# meterusage: docker build -t meterusage . && docker run -p 8080:8080 -v meterusage-data:/data meterusage
# The build stage has the dev dependencies (buf, TypeScript, Vite) and the compilers
# better-sqlite3 needs; the image that runs has the production dependencies only.

FROM node:24-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY buf.yaml buf.gen.yaml ./
COPY proto ./proto
COPY server ./server
COPY client ./client
RUN npm run build && npm prune --omit=dev

FROM node:24-slim
ENV NODE_ENV=production \
    PORT=8080 \
    METERUSAGE_DB=/data/meterusage.db
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/client/dist ./client/dist
COPY --from=build /app/server/data ./server/data
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8080
# With METERUSAGE_TLS_CERT the port speaks TLS only; the check then asks over https, without
# verifying a certificate that names the public host, not 127.0.0.1.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "require(process.env.METERUSAGE_TLS_CERT ? 'https' : 'http').get({ host: '127.0.0.1', port: process.env.PORT, path: '/healthz', rejectUnauthorized: false }, (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))"]
CMD ["node", "dist/server/src/cli.js", "serve"]
