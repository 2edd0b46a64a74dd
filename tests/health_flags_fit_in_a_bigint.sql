-- The history mart names each account-day's flags by a set of bits, one per flag name of seed
-- health_flags (macro flag_bits), or-ed in a bigint: it holds 62 names. Fails, with the count,
-- when the seed names more.
with flag_names as (
    select count(distinct flag_name) as count_flag_names
    from {{ ref('health_flags') }}
)

select count_flag_names
from flag_names
where count_flag_names > 62
