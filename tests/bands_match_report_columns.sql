-- The reports give each band a column of its own (rpt_segment_health pct_<band>, rpt_owner_book
-- count_<band>, rpt_health_backtest_summary churn_rate_<band>: public contracts, so fixed names).
-- Seed health_bands must hold exactly the bands those columns name: a band renamed or added in the
-- seed alone would be counted in none of them and the reports would quietly show 0 for it; a band
-- removed would leave a column that is always 0. Fails with each such band. The reports' columns
-- are read from the models' documented columns, so no band name is written here.
{%- set column_prefixes = {
    'rpt_segment_health': 'pct_', 'rpt_owner_book': 'count_', 'rpt_health_backtest_summary': 'churn_rate_',
} %}
{#- Only the segment report's pct_ columns are all bands: the other prefixes also begin other
    columns (count_accounts), so those reports are checked for the seed's bands alone. #}
{%- set listing_report = 'rpt_segment_health' %}
{%- set columns = [] %}
{%- if execute %}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.name in column_prefixes %}
        {%- for column_name in node.columns if column_name.startswith(column_prefixes[node.name]) %}
            {%- do columns.append((node.name, column_name)) %}
        {%- endfor %}
    {%- endfor %}
{%- endif %}

with report_columns as (
    {%- for report, column_name in columns %}
        select
            '{{ report }}' as report,
            '{{ column_name }}' as column_name
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- else %}
        select
            cast(null as {{ type_text() }}) as report,
            cast(null as {{ type_text() }}) as column_name
        where false
    {%- endfor %}
),

reports as (
    {%- for report, prefix in column_prefixes.items() %}
        select
            '{{ report }}' as report,
            '{{ prefix }}' as column_prefix
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

bands as (
    select band from {{ ref('health_bands') }}
),

-- A seed band without its column in a report.
without_column as (
    select
        reports.report,
        bands.band,
        'no column ' || reports.column_prefix || bands.band || ' in ' || reports.report as problem
    from bands
    cross join reports
    left join report_columns
        on reports.report = report_columns.report
            and report_columns.column_name = reports.column_prefix || bands.band
    where report_columns.column_name is null
),

-- A band the listing report has a column for that the seed does not hold.
without_band as (
    select
        report_columns.report,
        substr(report_columns.column_name, length(reports.column_prefix) + 1) as band,
        'column ' || report_columns.column_name || ' names no band of seed health_bands' as problem
    from report_columns
    inner join reports on report_columns.report = reports.report
    where report_columns.report = '{{ listing_report }}'
        and substr(report_columns.column_name, length(reports.column_prefix) + 1) not in (select band from bands)
),

final as (
    select * from without_column
    union all
    select * from without_band
)

select * from final
