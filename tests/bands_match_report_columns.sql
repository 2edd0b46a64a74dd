-- The reports give each band a column of its own (rpt_segment_health pct_<band>, rpt_owner_book
-- count_<band>, rpt_health_backtest_summary churn_rate_<band>: public contracts, so fixed names).
-- Their SQL writes those columns from macro report_bands (the listing report's documented pct_
-- columns), and each contract is enforced, so the three reports name the same bands. Seed
-- health_bands must hold exactly those bands: a band renamed or added in the seed alone would be
-- counted in no column and the reports would quietly show 0 for it; a band removed would leave a
-- column that is always 0. Fails with each such band.
with report_bands as (
    {%- for band in report_bands() %}
        select '{{ band }}' as band
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

seed_bands as (
    select band from {{ ref('health_bands') }}
),

final as (
    select
        coalesce(seed_bands.band, report_bands.band) as band,
        case
            when report_bands.band is null
                then 'no column pct_' || seed_bands.band || ' in rpt_segment_health (nor the other reports)'
            else 'column pct_' || report_bands.band || ' of rpt_segment_health names no band of seed health_bands'
        end as problem
    from seed_bands
    full outer join report_bands on seed_bands.band = report_bands.band
    where seed_bands.band is null or report_bands.band is null
)

select * from final
