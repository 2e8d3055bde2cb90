# No variables: the environment's values are in main.tf, reviewed with every
# change, rather than in per-run -var flags that a plan and its apply could
# disagree on.
