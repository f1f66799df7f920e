# syntax=docker/dockerfile:1
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/verdict ./cmd/verdict

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/verdict /usr/local/bin/verdict
WORKDIR /var/lib/verdict
ENV VERDICT_ADDR=:8080 VERDICT_DATA_DIR=/var/lib/verdict
EXPOSE 8080
ENTRYPOINT ["verdict"]
CMD ["serve"]
