# Parley: one binary, SQLite embedded (cgo), run as a non-root user. tzdata:
# sites' business hours and readers' acknowledgements use IANA time zones
# (tzdata is not in the bookworm-slim image).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -trimpath -ldflags="-s -w" -o /out/parley ./server/cmd/parley

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin parley \
    && mkdir -p /data && chown parley:parley /data
COPY --from=build /out/parley /usr/local/bin/parley
USER parley
VOLUME /data
ENV PARLEY_ADDR=:8080 PARLEY_DB=/data/parley.db
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/parley"]
