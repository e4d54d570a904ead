# A stand-in for the official nginx image, from Debian's packages (deploy/verify.sh builds it
# when Docker Hub is unreachable): includes /etc/nginx/conf.d/*.conf inside http {}, logs to
# the container's output. Debian bookworm ships nginx 1.22, which lacks `resolve` in upstream
# blocks (1.27.3+), so verify.sh mounts nginx.conf with that one word removed.
ARG BASE=debian:bookworm-slim
FROM ${BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends nginx \
 && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/* \
 && ln -sf /dev/stdout /var/log/nginx/access.log \
 && ln -sf /dev/stderr /var/log/nginx/error.log
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
