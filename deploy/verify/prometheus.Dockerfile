# A stand-in for the official prom/prometheus image, from Debian's packages (deploy/verify.sh
# builds it when Docker Hub is unreachable): the same entrypoint (the prometheus binary, flags
# from the compose file's `command`), storage in /prometheus, and user nobody. Debian bookworm
# ships Prometheus 2.42, not the compose file's 3.5; the scrape config uses nothing newer.
ARG BASE=debian:bookworm-slim
FROM ${BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends prometheus \
 && rm -rf /var/lib/apt/lists/* \
 && install -d -o nobody -g nogroup -m 0755 /prometheus
USER nobody
EXPOSE 9090
ENTRYPOINT ["/usr/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
