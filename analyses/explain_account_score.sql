-- Why does an account have the score it has on a day? Every weighted signal with its value,
-- sub-score, weight share and points; the score is 50 + the sum of points.
-- Compile with: dbt compile --select explain_account_score
--   --vars '{explain_account_id: "001…", explain_day: "2026-10-31"}'
with contributions as (
    select * from {{ ref('int_account_signal_contributions') }}
),

final as (
    select
        dimension,
        signal_name,
        signal_value,
        score,
        is_missing,
        round(weight_share, 4) as weight_share,
        round(points, 2) as points
    from contributions
    where account_id = '{{ var("explain_account_id", "") }}'
        and date_day = cast('{{ var("explain_day", "2000-01-01") }}' as date)
)

select * from final
order by points
