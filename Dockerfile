# syntax=docker/dockerfile:1
# The admin UI is built in its own stage and embedded in the binary (admin-ui/embed.go).
FROM node:22-bookworm-slim AS ui
WORKDIR /src/admin-ui
COPY admin-ui/package.json admin-ui/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY admin-ui/ ./
RUN npm run build

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=ui /src/admin-ui/dist ./admin-ui/dist
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/verdict ./cmd/verdict
# The data directory must exist, owned by the runtime user, for the volume to inherit it.
RUN mkdir -p /out/data/media

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/verdict /usr/local/bin/verdict
COPY --from=build --chown=nonroot:nonroot /out/data /var/lib/verdict
WORKDIR /var/lib/verdict
# Uploads (media/) and, without PostgreSQL, the SQLite database live here: mount a volume.
ENV VERDICT_ADDR=:8080 VERDICT_DATA_DIR=/var/lib/verdict VERDICT_MEDIA_DIR=/var/lib/verdict/media
VOLUME ["/var/lib/verdict"]
EXPOSE 8080
ENTRYPOINT ["verdict"]
CMD ["serve"]
