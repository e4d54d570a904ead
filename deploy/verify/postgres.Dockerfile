# A stand-in for the official postgres image, from Debian's packages (deploy/verify.sh builds it
# when Docker Hub is unreachable): the same environment variables (POSTGRES_USER,
# POSTGRES_PASSWORD, POSTGRES_DB), data directory and stop signal. Debian bookworm ships
# PostgreSQL 15, not the compose file's 16; pushback's migrations need neither.
ARG BASE=debian:bookworm-slim
FROM ${BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-15 \
 && rm -rf /var/lib/apt/lists/* \
 && install -d -o postgres -g postgres -m 2775 /var/run/postgresql \
 && install -d -o postgres -g postgres -m 0700 /var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/postgres-entrypoint
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data
USER postgres
# Fast shutdown, as the official image: SIGTERM would wait for every client to disconnect.
STOPSIGNAL SIGINT
EXPOSE 5432
ENTRYPOINT ["postgres-entrypoint"]
