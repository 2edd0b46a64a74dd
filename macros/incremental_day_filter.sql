{#- Which days an incremental run rewrites: exactly var backfill_start..backfill_end when set,
    else the days after the newest stored day minus var history_lookback_days (late-arriving
    data). `context_days` widens the range backwards for models that look at earlier days (a
    lag over 30 days reads 30 more days, then keeps only the rewritten ones). The newest stored
    day is read from the model's own table (column date_day), so every model of the daily chain
    catches up on its own after a missed run. Rendered on one line so the model lints the same
    whether or not the table exists yet. -#}
{% macro incremental_day_filter(day_column, context_days=0) -%}
    {%- if var('backfill_start', none) -%}
        {{ day_column }} between cast('{{ var("backfill_start") }}' as date) - {{ context_days }} and cast('{{ var("backfill_end", var("backfill_start")) }}' as date)
    {%- else -%}
        {{ day_column }} > (select coalesce(max(date_day), cast('1900-01-01' as date)) - {{ var('history_lookback_days') + context_days }} from {{ this }})
    {%- endif -%}
{%- endmacro %}


{#- The days a model of the daily chain computes, as a condition: every day on a full build, a
    first run, or a run whose configuration differs from the stored rows' (macro
    should_full_refresh rebuilds the model then); on a daily run the range above. -#}
{% macro in_run_days(day_column, context_days=0) -%}
    {%- if is_incremental() -%}
        ({{ incremental_day_filter(day_column, context_days) }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}


{#- The hash of the configuration the current model's rows depend on, for the daily chain's
    column scoring_config_hash (and the check above), named by the model's meta config_hash:
    signal_config_hash (int_signal_config) for the activity and signal layers, set by folder in
    dbt_project.yml; flag_config_hash (int_scoring_config: the signal configuration and seed
    health_flags) for the flags' signal rule hits; alert_config_hash (int_scoring_config) for the
    alerts; driver_config_hash (int_scoring_config: the scoring hash and the drivers' vars) for
    the movers; else the whole scoring configuration (int_scoring_config.scoring_config_hash). The
    signal layers ref only int_signal_config, so nothing of the scoring configuration is upstream
    of them. Read from the node's config (`model.config.meta`), which holds dbt_project.yml's meta
    while parsing too, so dbt records the ref the run compiles. (A unit test is a node of its own without the tested
    model's meta: it compiles the model with the default, so it gives int_scoring_config.) -#}
{% macro scoring_config_hash() -%}
    {%- set column = (model.config.meta or {}).get('config_hash', 'scoring_config_hash') -%}
    {%- set relations = {
        'signal_config_hash': 'int_signal_config',
        'scoring_config_hash': 'int_scoring_config',
        'flag_config_hash': 'int_scoring_config',
        'alert_config_hash': 'int_scoring_config',
        'driver_config_hash': 'int_scoring_config',
    } -%}
    {%- if column not in relations -%}
        {{ exceptions.raise_compiler_error(
            'meta config_hash of model ' ~ model.name ~ ' is ' ~ column
            ~ ': expected one of ' ~ (relations.keys() | sort | join(', '))) }}
    {%- endif -%}
    (select config.{{ column }} from {{ ref(relations[column]) }} as config)
{%- endmacro %}



{#- dbt's should_full_refresh, which the incremental materialization and is_incremental() ask:
    as dbt's (the model's full_refresh config, else --full-refresh), and also true for a model of
    the daily chain whose stored rows were made with another configuration than this run's
    (macro stored_configuration_outdated). Such a run rewrites every day anyway; as a full refresh it writes them
    once, into a new table that replaces the old (dbt's swap), instead of into a temporary table
    first and then, after deleting every stored row, into the old table again. The model's SQL
    sees is_incremental() false and computes every day, as on a first build: the same rows.
    A model's `full_refresh: false` (the monitoring records) still wins. The stored hash is read
    from one row (every run stores one hash throughout: it rewrites every day when it changes),
    once per model and context. -#}
{% macro should_full_refresh() %}
    {%- set configured = config.get('full_refresh') -%}
    {%- if configured is not none -%}{{ return(configured) }}{%- endif -%}
    {%- if flags.FULL_REFRESH -%}{{ return(true) }}{%- endif -%}
    {{ return(stored_configuration_outdated()) }}
{% endmacro %}


{#- Whether the current incremental model's stored rows carry another configuration hash than
    this run's (macro scoring_config_hash), or lack a column the model's meta `stored_columns`
    names (running totals a daily run continues from: a table stored by an earlier version of the
    model is rebuilt once); false while parsing, for anything but an incremental model, and for a
    table without the hash column. Cached in the node's context (`model`). -#}
{% macro stored_configuration_outdated() %}
    {%- if not execute or model.resource_type != 'model' or config.get('materialized') != 'incremental' -%}
        {{ return(false) }}
    {%- endif -%}
    {%- if 'stored_configuration_outdated' not in model -%}
        {%- set relation = adapter.get_relation(this.database, this.schema, this.identifier) -%}
        {%- set outdated = false -%}
        {%- set stored = [] -%}
        {%- if relation is not none and relation.type == 'table' -%}
            {%- set stored = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
        {%- endif -%}
        {%- if (model.config.meta or {}).get('stored_columns', []) | reject('in', stored) | list and stored -%}
            {%- set outdated = true -%}
        {%- elif 'scoring_config_hash' in stored -%}
            {%- set query -%}
                select count(*) from (select stored.scoring_config_hash from {{ relation }} as stored limit 1) as stored
                where stored.scoring_config_hash != {{ scoring_config_hash() }}
            {%- endset -%}
            {%- set outdated = run_query(query).columns[0].values()[0] > 0 -%}
        {%- endif -%}
        {%- do model.update({'stored_configuration_outdated': outdated}) -%}
    {%- endif -%}
    {{ return(model['stored_configuration_outdated']) }}
{% endmacro %}


{#- Models whose rows on a day depend on every earlier day (active-user spans, running totals)
    are rewritten by a daily run from one day on: the pre-hook delete_rewritten_days deletes every
    stored row from that day, and the model computes those days again from a context of earlier
    days (and the stored state just before it). An account whose history before that day changed
    (a product user linked, moved or unlinked; its customer dates) is rebuilt on every day instead:
      - linked users: each row stores the sum of a hash of the users first active on its day
        (macro accounts_with_changed_history); a user first active on a rewritten day changes
        nothing before it, so a new user does not make its account rebuilt;
      - customer dates: each row stores the account's fingerprint of int_account_history_fingerprints,
        and a row whose fingerprint is no longer current is deleted.

    Each such model declares what it needs in its config, `meta: {rewrite: {...}}` (dbt_project.yml),
    and rebuild_plan() returns it, with `loads` resolved to its relation:
      day_column          its day column
      loads, loads_day    the upstream model with last_loaded_at, and its day column
      data_condition      which stored rows count as days with data
      history             how its linked users are compared (macro accounts_with_changed_history):
                          linked_users, activity_to_date or usage_to_date
      fingerprint_column  optional: its column of int_account_history_fingerprints -#}
{% macro rebuild_plan() -%}
    {%- set declared = (config.get('meta') or {}).get('rewrite') -%}
    {%- set keys = ['day_column', 'loads', 'loads_day', 'data_condition', 'history'] -%}
    {%- if declared is none and (not execute or model.resource_type == 'unit_test') -%}
        {#- While parsing, a model's config may not be complete yet; nothing is run then. A unit
            test is a node of its own, without its model's meta, and builds as a full build. -#}
        {{ return({}) }}
    {%- elif declared is none -%}
        {{ exceptions.raise_compiler_error(
            'model ' ~ model.name ~ ' is rewritten from its first changed day but declares no '
            ~ '`meta: {rewrite: {' ~ keys | join(', ') ~ '}}` in its config (dbt_project.yml)') }}
    {%- endif -%}
    {%- set missing = keys | reject('in', declared) | list -%}
    {%- if missing -%}
        {{ exceptions.raise_compiler_error(
            'meta rewrite of model ' ~ model.name ~ ' (dbt_project.yml) lacks ' ~ missing | join(', ')) }}
    {%- endif -%}
    {%- set history_columns = {
        'linked_users': 'first_active_users_hash',
        'activity_to_date': 'users_hash_to_date',
        'usage_to_date': 'users_hash_to_date',
    } -%}
    {%- if declared.history not in history_columns -%}
        {{ exceptions.raise_compiler_error(
            'meta rewrite of model ' ~ model.name ~ ' (dbt_project.yml): history is ' ~ declared.history
            ~ ', expected one of ' ~ (history_columns.keys() | sort | join(', '))) }}
    {%- endif -%}
    {%- if is_incremental() -%}
        {#- A table stored before the model kept these (e.g. built when it was a plain table)
            cannot say what to rewrite: say how to rebuild it rather than fail in SQL. -#}
        {%- set stored = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
        {%- set needed = ['last_loaded_at', 'scoring_config_hash', history_columns[declared.history]] -%}
        {%- if declared.fingerprint_column -%}{%- do needed.append('account_fingerprint') -%}{%- endif -%}
        {%- set lacking = needed | reject('in', stored) | list -%}
        {%- if lacking -%}
            {{ exceptions.raise_compiler_error(
                'model ' ~ model.name ~ ': the stored table ' ~ this ~ ' lacks column(s) ' ~ lacking | join(', ')
                ~ ', which a daily run reads to know what to rewrite (it was built by an earlier version); '
                ~ 'rebuild it once with `dbt build --full-refresh --select ' ~ model.name ~ '`') }}
        {%- endif -%}
    {%- endif -%}
    {%- set plan = {} -%}
    {%- do plan.update(declared) -%}
    {%- do plan.update({'loads': ref(declared.loads)}) -%}
    {{ return(plan) }}
{%- endmacro %}


{#- The current fingerprints of the plan's accounts, as "account_id|fingerprint" keys. -#}
{% macro current_fingerprint_keys(plan) -%}
    select fingerprints.account_id || '|' || fingerprints.{{ plan.fingerprint_column }} from {{ ref('int_account_history_fingerprints') }} as fingerprints where fingerprints.{{ plan.fingerprint_column }} is not null
{%- endmacro %}


{#- The first day a daily run rewrites, as a date literal: the earliest of the newest stored day
    with data minus var history_lookback_days and the first day that received data loaded since
    the last run (rows of `loads` newer than any stored last_loaded_at). With var backfill_start
    it is that day. None on a full build (which a changed configuration is: macro
    should_full_refresh). Read when the model compiles and again by its pre-hook, both before anything is
    deleted, so both agree. -#}
{% macro rewrite_from_day(plan) -%}
    {%- if not is_incremental() -%}{{ return(none) }}{%- endif -%}
    {%- set everything = "cast('1900-01-01' as date)" -%}
    {%- if not execute -%}{{ return(everything) }}{%- endif -%}
    {%- set query -%}
        select
            {%- if var('backfill_start', none) %}
            cast('{{ var("backfill_start") }}' as date)
            {%- else %}
            {{ least_ignore_nulls(
                '(select max(stored.' ~ plan.day_column ~ ') from ' ~ this ~ ' as stored where '
                ~ plan.data_condition ~ ') - ' ~ var('history_lookback_days'),
                '(select min(loads.' ~ plan.loads_day ~ ') from ' ~ plan.loads ~ ' as loads'
                ~ ' where loads.last_loaded_at > (select max(stored.last_loaded_at) from ' ~ this ~ ' as stored))'
            ) }}
            {%- endif %}
    {%- endset -%}
    {%- set from_day = run_query(query).columns[0].values()[0] -%}
    {%- if from_day is none -%}{{ return(everything) }}{%- endif -%}
    {{ return("cast('" ~ from_day ~ "' as date)") }}
{%- endmacro %}


{#- The accounts a daily run rebuilds on every day (`rewrite_from`: its first rewritten day, macro
    rewrite_from_day): those whose linked users before that day changed (macro
    accounts_with_changed_history), and with a fingerprint column those with no stored row carrying
    their current fingerprint (new accounts, and those whose rows the pre-hook deleted). On one
    line, so a model lints the same whether or not it exists yet. -#}
{% macro accounts_to_rebuild(plan, rewrite_from) -%}
    {{ accounts_with_changed_history(plan, rewrite_from) }}
    {%- if plan.fingerprint_column %} union select fingerprints.account_id from {{ ref('int_account_history_fingerprints') }} as fingerprints where fingerprints.{{ plan.fingerprint_column }} is not null and fingerprints.account_id || '|' || fingerprints.{{ plan.fingerprint_column }} not in (select distinct stored.account_id || '|' || stored.account_fingerprint from {{ this }} as stored){% endif %}
{%- endmacro %}


{#- The accounts whose product users linked before `rewrite_from` differ from those the stored
    rows were computed with. A user adds its user_hash (key_hash of its e-mail hash) on its first
    active day (int_account_identity), so a sum of them stands for the set. plan.history:
      linked_users      (int_account_daily_activity) the sum of column first_active_users_hash
                        over the stored rows before `rewrite_from` against the sum over the users
                        linked now whose first active day lies before it;
      activity_to_date  (int_account_usage_daily, whose `loads` is the activity) column
                        users_hash_to_date of the latest stored row before `rewrite_from` (the
                        largest: its terms are not negative) against the sum of the activity's
                        first_active_users_hash over the days that row adds up: up to its day,
                        from the first stored day (activity before the customer start counts on
                        that day, as the model counts it), so an account the activity rebuilt
                        is rebuilt here too;
      usage_to_date     (models of the usage, their `loads`) the same column against the one
                        of `loads` on that day.
    On one line, as above. -#}
{% macro accounts_with_changed_history(plan, rewrite_from) -%}
    {%- if plan.history == 'linked_users' -%}
    select coalesce(stored.account_id, linked.account_id) as account_id from (select stored.account_id, sum(stored.first_active_users_hash) as users_hash from {{ this }} as stored where stored.{{ plan.day_column }} < {{ rewrite_from }} group by stored.account_id) as stored full outer join (select identity.account_id, sum(identity.user_hash) as users_hash from {{ ref('int_account_identity') }} as identity where identity.system = 'product_user' and identity.is_linked and identity.first_active_on < {{ rewrite_from }} group by identity.account_id) as linked on stored.account_id = linked.account_id where coalesce(stored.users_hash, 0) != coalesce(linked.users_hash, 0)
    {%- else -%}
    {%- set latest = 'select stored.account_id, min(stored.' ~ plan.day_column ~ ') as first_day, max(stored.' ~ plan.day_column ~ ') as latest_day, max(stored.users_hash_to_date) as users_hash from ' ~ this ~ ' as stored where stored.' ~ plan.day_column ~ ' < ' ~ rewrite_from ~ ' group by stored.account_id' -%}
    {%- if plan.history == 'activity_to_date' -%}
    select latest.account_id from ({{ latest }}) as latest left join {{ ref('int_accounts') }} as accounts on latest.account_id = accounts.account_id left join {{ plan.loads }} as activity on latest.account_id = activity.account_id and activity.{{ plan.loads_day }} <= latest.latest_day and (activity.{{ plan.loads_day }} >= latest.first_day or accounts.customer_start_on >= latest.first_day) group by latest.account_id, latest.users_hash having coalesce(sum(activity.first_active_users_hash), 0) != latest.users_hash
    {%- else -%}
    select latest.account_id from ({{ latest }}) as latest left join {{ plan.loads }} as loads on latest.account_id = loads.account_id and loads.{{ plan.loads_day }} = latest.latest_day where loads.users_hash_to_date is null or loads.users_hash_to_date != latest.users_hash
    {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{#- Whether this daily run rebuilds any account this way (how many is logged), asked once when the
    model compiles, before its pre-hook runs. The model's CTE asks again after the delete, with the
    same answer: a stale fingerprint is stale before and after it; an account whose linked users
    changed has no stored row left, so its sum is 0 against the current one (the activity) or it
    has no row with its fingerprint (usage, stages); one whose current sum is 0 has no user before
    the rewrite day, so nothing there to rebuild; and an account whose rows all lie in the
    rewritten days is rewritten whole either way. False on a full build and while parsing. When
    true, the model reads the accounts from its CTE rebuilt_accounts (macro accounts_to_rebuild)
    and its day filters carry the clause of macro rebuilt_accounts_clause; when false they carry
    none: a filter `day >= X or account in (subquery)` cannot reach the table scan, so a daily run
    read every stored user-day and joined it to identity to keep the tenth of them its days need.
    (The ids written as a list of literals instead were slower when there were some: at 20,000
    accounts 109 ids were compared with every user-day.) -#}
{% macro rebuilds_accounts(plan, rewrite_from) -%}
    {%- if rewrite_from is none or not execute -%}{{ return(false) }}{%- endif -%}
    {%- set query = 'select count(*) from (' ~ accounts_to_rebuild(plan, rewrite_from) ~ ') as rebuilt' -%}
    {%- set count = run_query(query).columns[0].values()[0] -%}
    {%- do log(model.name ~ ': a daily run from ' ~ rewrite_from.split("'")[1] ~ ' that rebuilds every day of '
        ~ count ~ ' account(s) whose history before it changed', info=true) -%}
    {%- if target.type == 'duckdb' -%}
        {%- do run_query('set variable ' ~ rebuilt_count_variable() ~ ' = ' ~ count) -%}
    {%- endif -%}
    {{ return(count > 0) }}
{%- endmacro %}


{#- The DuckDB session variable in which macro rebuilds_accounts leaves its count for the
    model's pre-hook (macro history_known_unchanged): named by the model and the dbt invocation,
    so only this run's compile of this model can have set it. -#}
{% macro rebuilt_count_variable() -%}
    rebuilt_accounts__{{ model.name }}__{{ invocation_id | replace('-', '_') }}
{%- endmacro %}


{#- Whether the model's compile already found no account to rebuild (macro rebuilds_accounts), so
    its pre-hook need not ask again: true only when the count it left in this connection's
    session variable is 0 (DuckDB; dbt compiles and runs a node on one connection). The variable
    is reset once read. Anything else (another engine, another connection, no variable) is false,
    and the pre-hook asks the question itself: the answer is the same either way, this only saves
    the second asking (at 20,000 accounts about 1 s of a daily run over the three models). -#}
{% macro history_known_unchanged() -%}
    {%- if target.type != 'duckdb' or not execute -%}{{ return(false) }}{%- endif -%}
    {%- set variable = rebuilt_count_variable() -%}
    {%- set count = run_query("select getvariable('" ~ variable ~ "')").columns[0].values()[0] -%}
    {%- do run_query('reset variable ' ~ variable) -%}
    {{ return(count is not none and count == 0) }}
{%- endmacro %}


{#- The condition "`column` is an account the run rebuilds", after `joiner` ('or', 'and not'),
    to append to a day filter on its line: a subquery of the model's CTE rebuilt_accounts when
    `rebuilds` (macro rebuilds_accounts), else nothing. `column` may be matched through a CTE
    (`through`: "<column> in (select <select> from <cte> where <cte>.account_id in ...)"). -#}
{% macro rebuilt_accounts_clause(joiner, column, rebuilds, through=none) -%}
    {%- if not rebuilds -%}{{ return('') }}{%- endif -%}
    {%- set accounts = '(select rebuilt_accounts.account_id from rebuilt_accounts)' -%}
    {%- if through is none -%}
        {{ return(' ' ~ joiner ~ ' ' ~ column ~ ' in ' ~ accounts) }}
    {%- else -%}
        {{ return(' ' ~ joiner ~ ' ' ~ column ~ ' in (select ' ~ through.select ~ ' from ' ~ through.cte
            ~ ' where ' ~ through.cte ~ '.account_id in ' ~ accounts ~ ')') }}
    {%- endif -%}
{%- endmacro %}


{#- The pre-hook of those models: deletes the stored rows from the rewrite day on, every row of an
    account whose linked users before it changed (not asked again when the model's compile found
    none: macro history_known_unchanged), and every row whose account fingerprint is no longer
    current. -#}
{% macro delete_rewritten_days() -%}
    {%- set plan = rebuild_plan() -%}
    {%- set from_day = rewrite_from_day(plan) -%}
    {%- if from_day is none -%}
        select 1
    {%- else -%}
        delete from {{ this }}
        where {{ plan.day_column }} >= {{ from_day }}
            {%- if not history_known_unchanged() %}
            or account_id in ({{ accounts_with_changed_history(plan, from_day) }})
            {%- endif %}
            {%- if plan.fingerprint_column %}
            or account_id || '|' || account_fingerprint not in ({{ current_fingerprint_keys(plan) }})
            {%- endif %}
    {%- endif -%}
{%- endmacro %}


{#- The days a fact model reads (its CTE `days`): the days the run rewrites plus `context_days`
    before them for its windows, every day on a full build. -#}
{% macro fact_days(context_days=0) -%}
    select * from {{ ref('int_account_days') }}
    where {{ in_run_days('date_day', context_days=context_days) }}
{%- endmacro %}


{#- What a fact model stores from its CTE `relation`: the rows of the days the run rewrites (the
    context days only fill its windows), with the configuration hash they were made with. -#}
{% macro fact_rows_to_store(relation) -%}
    select
        {{ relation }}.*,
        {{ scoring_config_hash() }} as scoring_config_hash
    from {{ relation }}
    where {{ in_run_days(relation ~ '.date_day') }}
{%- endmacro %}


{#- The running state a fact model carries into the days it reads (last touch, open tickets,
    answers so far): its own stored row of the day before the first day read, joined per account
    as `stored_before`, so a daily run continues from what it stored, as the running-state models
    do. An account is a customer on every day from its start (int_account_days), so one without
    that row started inside the days read and carries nothing. No join on a full build, which
    reads every day; stored_before(column) is then null (of `type` where the null stands alone as
    a column, so every engine knows its type). -#}
{% macro join_stored_day_before() -%}
    {%- if is_incremental() %}
    left join {{ this }} as stored_before
        on days.account_id = stored_before.account_id
            and stored_before.date_day = (select min(read_days.date_day) from days as read_days) - 1
    {%- endif %}
{%- endmacro %}


{% macro stored_before(column, type=none) -%}
    {%- if is_incremental() -%}stored_before.{{ column }}
    {%- elif type -%}cast(null as {{ type }})
    {%- else -%}null{%- endif -%}
{%- endmacro %}


{#- Sparse models (no row on most days, e.g. alerts) cannot read the newest day they cover from
    their own rows' days, so each row stores the newest day of the run that computed it (column
    `through_column`). The first day such a model rewrites, as a date literal: the newest stored
    through-day minus var history_lookback_days (the same days as in_run_days), or var
    backfill_start; none (every day) on a full build (a changed configuration included: macro
    should_full_refresh) or when nothing is stored. Read when the model compiles and by its
    pre-hook, both before anything is deleted, so both agree. -#}
{% macro sparse_rewrite_from_day(through_column) -%}
    {%- if not is_incremental() or not execute -%}{{ return(none) }}{%- endif -%}
    {%- set query -%}
        select
            case when not exists (select 1 from {{ this }} as stored) then null
            {%- if var('backfill_start', none) %}
            else cast('{{ var("backfill_start") }}' as date)
            {%- else %}
            else (select max(stored.{{ through_column }}) from {{ this }} as stored) - {{ var('history_lookback_days') - 1 }}
            {%- endif %}
            end
    {%- endset -%}
    {%- set from_day = run_query(query).columns[0].values()[0] -%}
    {{ return(none if from_day is none else "cast('" ~ from_day ~ "' as date)") }}
{%- endmacro %}


{#- The days from `from_day` (sparse_rewrite_from_day; none: every day) widened backwards by
    `context_days` (a number or a scalar subquery), up to var backfill_end on a backfill, as a
    condition on `day_column`. -#}
{% macro sparse_run_days(day_column, from_day, context_days=0) -%}
    {%- if from_day is none -%}
        true
    {%- else -%}
        ({{ day_column }} >= {{ from_day }} - {{ context_days }}
        {%- if var('backfill_start', none) %} and {{ day_column }} <= cast('{{ var("backfill_end", var("backfill_start")) }}' as date){% endif %})
    {%- endif -%}
{%- endmacro %}


{#- The pre-hook of a sparse model: deletes the stored rows of the days its run rewrites. -#}
{% macro delete_sparse_run_days(day_column, through_column) -%}
    {%- set from_day = sparse_rewrite_from_day(through_column) -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ sparse_run_days(day_column, from_day) }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}


{#- The as-of day of this build (int_as_of_date.as_of_on) as a date literal, read when the model
    is compiled, for filters that must reach the table scans through views of union branches (a
    `day in (subquery)` is joined to every row of every branch instead); none before
    int_as_of_date exists (a parse, lint on an empty database) and in a unit test: then filter by a
    subquery. -#}
{% macro stored_as_of_day() -%}
    {%- set as_of = ref('int_as_of_date') -%}
    {%- set readable = execute and model.resource_type == 'model' -%}
    {%- set stored = adapter.get_relation(as_of.database, as_of.schema, as_of.identifier) if readable else none -%}
    {%- if stored is none -%}{{ return(none) }}{%- endif -%}
    {%- set day = run_query('select max(as_of_on) from ' ~ as_of).columns[0].values()[0] -%}
    {{ return(none if day is none else "cast('" ~ day ~ "' as date)") }}
{%- endmacro %}
