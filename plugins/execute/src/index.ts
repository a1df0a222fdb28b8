// The `mle run` commands; their logic lives in @mle/runner, which `mle backport` and `mle modernize` share.
export {};
