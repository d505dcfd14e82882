# The jiandu API image. MongoDB and Meilisearch run as their own official images (see
# docker-compose.yml); this image holds only the API and the built workbench.

# The workbench (web/), built from its lockfile; only its files go into the image.
FROM node:20-slim AS web
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY web ./
RUN npm run build

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY pyproject.toml README.md ./
COPY api ./api
COPY schema ./schema
COPY search ./search
COPY seed ./seed
RUN pip install . && useradd --system --uid 10001 jiandu
COPY --from=web /web/dist ./web

USER jiandu
ENV JIANDU_ENV=production JIANDU_HOST=0.0.0.0 JIANDU_PORT=8000 JIANDU_WEB_DIR=/app/web
EXPOSE 8000
CMD ["jiandu", "serve"]
