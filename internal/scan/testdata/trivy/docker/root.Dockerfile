# Runs as root on purpose: the scan test expects trivy's last-user-is-root
# finding on this file.
FROM example.invalid/base:1
USER root
HEALTHCHECK NONE
CMD ["/bin/true"]
