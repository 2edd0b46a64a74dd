{#-
    Runs before every `dbt run` / `dbt build` (on-run-start). Checks that the raw folder follows
    shared/raw-contract.md before any model reads it, so a broken raw set fails with one message that
    names the table, folder and column, instead of a binder error deep inside a staging model:
      - `_contract.json` (optional) states a version this project can read;
      - every source table folder holds at least one Parquet file;
      - every contract column is present (for a missing one, the most similar unknown column is
        suggested as a likely rename) and has a type compatible with the contract.
    Extra columns are allowed and only logged. A corrupt Parquet file fails here with DuckDB's
    message, which names the file.
-#}
{% macro check_raw_contract() %}
    {%- if execute and flags.WHICH in ('build', 'run') -%}
        {%- set raw_dir = var('raw_data_dir') -%}
        {%- set problems = [] -%}
        {%- do check_raw_contract_version(raw_dir, problems) -%}
        {%- if not problems -%}
            {%- for node in graph.sources.values()
                    if node.package_name == project_name and raw_contract_reads_folder(node) -%}
                {%- do check_raw_table(raw_dir, node, problems) -%}
            {%- endfor -%}
        {%- endif -%}
        {%- if problems -%}
            {{ exceptions.raise_compiler_error(
                "Raw data in '" ~ raw_dir ~ "' does not follow the raw contract "
                ~ "(shared/raw-contract.md):\n  - " ~ problems | join("\n  - ")
            ) }}
        {%- endif -%}
        {{ log("Raw contract check passed for '" ~ raw_dir ~ "'", info=True) }}
    {%- endif -%}
{% endmacro %}


{#- Engines other than DuckDB do not read the folder: python_checks.load_raw loaded it (schemas
    raw_<source>) and kept `_contract.json`'s version in raw_meta.raw_contract. -#}
{% macro check_raw_contract_version(raw_dir, problems) %}
    {{ return(adapter.dispatch('check_raw_contract_version', 'customer_health')(raw_dir, problems)) }}
{% endmacro %}

{% macro default__check_raw_contract_version(raw_dir, problems) %}
    {%- set meta = adapter.get_relation(target.database, 'raw_meta', 'raw_contract') -%}
    {%- if meta is none -%}
        {%- if not var('raw_schemas') -%}
            {%- do problems.append(
                "no raw data loaded into " ~ target.type ~ " database " ~ target.database
                ~ " (table raw_meta.raw_contract is missing): run `python -m python_checks.load_raw --target "
                ~ target.type ~ " --raw-dir <raw folder>`, or set var raw_schemas to your connectors' schemas"
            ) -%}
        {%- endif -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set version = run_query('select max(version) from ' ~ meta).columns[0].values()[0] -%}
    {%- if version is not none and version > var('raw_contract_version') -%}
        {%- do problems.append(
            "the raw data loaded into " ~ meta ~ " states contract version " ~ version
            ~ ", but this project reads up to version " ~ var('raw_contract_version')
            ~ ": upgrade the project (see shared/raw-contract.md for what changed)"
        ) -%}
    {%- endif -%}
{% endmacro %}

{% macro duckdb__check_raw_contract_version(raw_dir, problems) %}
    {%- set contract_file = raw_dir ~ '/_contract.json' -%}
    {%- set found = run_query("select count(*) from glob('" ~ contract_file ~ "')").columns[0].values()[0] -%}
    {#- `**`: DuckDB's glob lists files only, and a raw set without _contract.json has none at the top. -#}
    {%- set dir_found = run_query("select count(*) from glob('" ~ raw_dir ~ "/**')").columns[0].values()[0] -%}
    {%- if dir_found == 0 -%}
        {%- do problems.append("the raw folder '" ~ raw_dir ~ "' is missing or empty: set RAW_DATA_DIR, or run `make data`") -%}
    {%- elif found > 0 -%}
        {%- set version = run_query(
            "select case when json_valid(content)"
            ~ " then try_cast(json_extract_string(content, '$.version') as integer) end"
            ~ " from read_text('" ~ contract_file ~ "')"
        ).columns[0].values()[0] -%}
        {%- do contract_file_version_problems(contract_file, version, problems) -%}
    {%- endif -%}
{% endmacro %}

{#- What a raw folder's `_contract.json` version (none: not JSON with an integer version) means
    for this project, as problems. -#}
{% macro contract_file_version_problems(contract_file, version, problems) %}
    {%- if version is none -%}
        {%- do problems.append(contract_file ~ ": not JSON with an integer 'version' field (expected {\"version\": 1})") -%}
    {%- elif version > var('raw_contract_version') -%}
        {%- do problems.append(
            contract_file ~ " states contract version " ~ version ~ ", but this project reads up to version "
            ~ var('raw_contract_version') ~ ": the data may carry tables or columns this project does not know; "
            ~ "upgrade the project (see shared/raw-contract.md for what changed)"
        ) -%}
    {%- endif -%}
{% endmacro %}

{#- Spark reads the folder in place (macro register_raw_sources): `_contract.json` read as text. -#}
{% macro spark__check_raw_contract_version(raw_dir, problems) %}
    {%- set files = spark_raw_files(raw_dir) -%}
    {%- if not files -%}
        {%- do problems.append("the raw folder '" ~ raw_dir ~ "' is missing or empty: set RAW_DATA_DIR, or run `make data`") -%}
    {%- elif '_contract.json' in files -%}
        {%- set contract_file = raw_dir ~ '/_contract.json' -%}
        {%- set version = run_query(
            "select try_cast(get_json_object(concat_ws(' ', collect_list(value)), '$.version') as int)"
            ~ " from text.`" ~ contract_file ~ "`"
        ).columns[0].values()[0] -%}
        {%- do contract_file_version_problems(contract_file, version, problems) -%}
    {%- endif -%}
{% endmacro %}


{#- A raw table's columns as {lower-case name: DuckDB type name}, or none (and a problem) when
    the table is not there: its Parquet folder in DuckDB, its loaded table elsewhere. `where` names
    it in messages. -#}
{% macro raw_table_columns(raw_dir, node, problems) %}
    {{ return(adapter.dispatch('raw_table_columns', 'customer_health')(raw_dir, node, problems)) }}
{% endmacro %}

{% macro duckdb__raw_table_columns(raw_dir, node, problems) %}
    {%- set folder = raw_dir ~ '/' ~ node.source_name ~ '/' ~ node.name -%}
    {%- set file_count = run_query("select count(*) from glob('" ~ folder ~ "/*.parquet')").columns[0].values()[0] -%}
    {%- if file_count == 0 -%}
        {%- do problems.append("raw table " ~ node.source_name ~ '.' ~ node.name ~ ": no Parquet file in " ~ folder ~ "/") -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set described = run_query(
        "describe select * from read_parquet('" ~ folder ~ "/*.parquet', union_by_name = true)"
    ) -%}
    {%- set actual = {} -%}
    {%- for row in described.rows -%}
        {%- do actual.update({row[0] | lower: row[1] | upper}) -%}
    {%- endfor -%}
    {{ return({'where': folder, 'columns': actual}) }}
{% endmacro %}

{#- The loaded table's columns, their types named as DuckDB names them (raw_type_is_compatible). -#}
{% macro default__raw_table_columns(raw_dir, node, problems) %}
    {%- set relation = adapter.get_relation(node.database, node.schema, node.identifier) -%}
    {%- set where = node.database ~ '.' ~ node.schema ~ '.' ~ node.identifier -%}
    {%- if relation is none -%}
        {%- do problems.append(
            "raw table " ~ node.source_name ~ '.' ~ node.name ~ ": no table " ~ where
            ~ " (load it with `python -m python_checks.load_raw --target " ~ target.type ~ "`)"
        ) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set names = {
        'text': 'VARCHAR', 'character varying': 'VARCHAR', 'json': 'JSON', 'jsonb': 'JSON',
        'bigint': 'BIGINT', 'integer': 'INTEGER', 'smallint': 'SMALLINT',
        'double precision': 'DOUBLE', 'real': 'FLOAT', 'boolean': 'BOOLEAN', 'date': 'DATE',
        'timestamp without time zone': 'TIMESTAMP', 'timestamp with time zone': 'TIMESTAMP WITH TIME ZONE',
    } -%}
    {%- set actual = {} -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
        {%- set dtype = column.dtype | lower -%}
        {%- if dtype == 'numeric' -%}
            {%- set found = 'DECIMAL(' ~ column.numeric_precision ~ ',' ~ column.numeric_scale ~ ')' -%}
        {%- else -%}
            {%- set found = names.get(dtype, dtype | upper) -%}
        {%- endif -%}
        {%- do actual.update({column.name | lower: found}) -%}
    {%- endfor -%}
    {{ return({'where': where, 'columns': actual}) }}
{% endmacro %}

{#- Spark: the columns of the view register_raw_sources made over the folder, Spark's type names
    as DuckDB names them. -#}
{% macro spark__raw_table_columns(raw_dir, node, problems) %}
    {%- set folder = raw_dir ~ '/' ~ node.meta.raw_folder ~ '/' ~ node.identifier -%}
    {%- set relation = adapter.get_relation(node.database, node.schema, node.identifier) -%}
    {%- if relation is none -%}
        {%- do problems.append("raw table " ~ node.source_name ~ '.' ~ node.name ~ ": no Parquet file in " ~ folder ~ "/") -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set names = {
        'string': 'VARCHAR', 'bigint': 'BIGINT', 'int': 'INTEGER', 'smallint': 'SMALLINT',
        'tinyint': 'TINYINT', 'double': 'DOUBLE', 'float': 'FLOAT', 'boolean': 'BOOLEAN',
        'date': 'DATE', 'timestamp_ntz': 'TIMESTAMP', 'timestamp': 'TIMESTAMP WITH TIME ZONE',
        'void': '"NULL"',
    } -%}
    {%- set actual = {} -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
        {%- set dtype = column.dtype | lower -%}
        {%- do actual.update({column.name | lower: names.get(dtype, dtype | upper)}) -%}
    {%- endfor -%}
    {{ return({'where': folder, 'columns': actual}) }}
{% endmacro %}


{% macro check_raw_table(raw_dir, node, problems) %}
    {%- set table_label = node.source_name ~ '.' ~ node.name -%}
    {%- set found = raw_table_columns(raw_dir, node, problems) -%}
    {%- if found is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set folder = found['where'] -%}
    {%- set actual = found['columns'] -%}
    {%- do actual.pop('_raw_file', none) -%}
    {%- set declared = node.columns.values() | map(attribute='name') | map('lower') | list -%}
    {%- set missing = declared | reject('in', actual) | list -%}
    {%- set extra = actual.keys() | reject('in', declared) | list -%}
    {%- if missing -%}
        {%- set missing_types = {} -%}
        {%- for column in node.columns.values() if column.name | lower in missing -%}
            {%- do missing_types.update({column.name | lower: column.data_type}) -%}
        {%- endfor -%}
        {%- set extra_types = {} -%}
        {%- for name in extra -%}
            {%- do extra_types.update({name: actual[name]}) -%}
        {%- endfor -%}
        {%- set renames = raw_rename_hints(missing_types, extra_types) -%}
        {%- set hint = (" (renamed? " ~ renames | join(', ') ~ ")") if renames else "" -%}
        {%- do problems.append(
            "raw table " ~ table_label ~ " (" ~ folder ~ "): missing contract column(s) "
            ~ missing | join(', ') ~ hint
        ) -%}
    {%- elif extra -%}
        {{ log("raw table " ~ table_label ~ ": ignoring column(s) not in the contract: " ~ extra | join(', '), info=True) }}
    {%- endif -%}
    {%- for column in node.columns.values() if column.name | lower in actual -%}
        {%- set found_type = actual[column.name | lower] -%}
        {%- if not raw_type_is_compatible(column.data_type, found_type) -%}
            {%- do problems.append(
                "raw table " ~ table_label ~ " (" ~ folder ~ "): column " ~ column.name ~ " has type "
                ~ found_type ~ ", the contract says " ~ column.data_type
            ) -%}
        {%- endif -%}
    {%- endfor -%}
{% endmacro %}


{#- Which DuckDB types read from Parquet satisfy a contract type. An all-null column is typed
    "NULL" by some writers and fits any contract type. -#}
{% macro raw_type_is_compatible(contract_type, found_type) %}
    {%- set integers = ['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT',
                        'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT'] -%}
    {%- set timestamps = ['TIMESTAMP', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS',
                          'TIMESTAMP WITH TIME ZONE'] -%}
    {%- set accepted = {
        'varchar': ['VARCHAR', 'JSON'],
        'bigint': integers,
        'double': ['DOUBLE', 'FLOAT'] + integers,
        'boolean': ['BOOLEAN'],
        'timestamp': timestamps,
        'timestamptz': timestamps,
        'date': ['DATE'] + timestamps,
    } -%}
    {%- set base_type = found_type.split('(')[0] | trim -%}
    {#- Integers unloaded as DECIMAL(p,0) (warehouse exports, Salesforce numbers) are integers. -#}
    {%- set integer_decimal = base_type == 'DECIMAL' and found_type.replace(' ', '').endswith(',0)') -%}
    {{ return(
        found_type == '"NULL"'
        or base_type in accepted.get(contract_type | lower, [])
        or (contract_type | lower == 'double' and base_type == 'DECIMAL')
        or (contract_type | lower == 'bigint' and integer_decimal)
    ) }}
{% endmacro %}


{#- For each missing contract column, the unknown column that most likely is it renamed, as
    "<unknown> looks like <missing>". Likely: they share a name token of 3+ characters
    (amount_owed / amount_due, customer_tier_c / customer_tier__c), or the names are close
    (Levenshtein distance up to 2, or Jaro-Winkler similarity 0.9+). A candidate whose type fits
    the contract column ranks first, then more shared tokens, then the closer name. Unrelated
    unknown columns are not named. `missing`: contract column name -> contract type; `extra`:
    unknown column name -> type found. -#}
{% macro raw_rename_hints(missing, extra) %}
    {{ return(adapter.dispatch('raw_rename_hints', 'customer_health')(missing, extra)) }}
{% endmacro %}

{#- Without DuckDB's string distances: the shared-token rule only, type-compatible first. -#}
{% macro default__raw_rename_hints(missing, extra) %}
    {%- set hints = [] -%}
    {%- for missing_name, contract_type in missing.items() | sort -%}
        {%- set best = namespace(name=none, rank=-1) -%}
        {%- for extra_name, found_type in extra.items() | sort -%}
            {%- set shared = namespace(count=0) -%}
            {%- for token in missing_name.split('_') if token | length >= 3 and token in extra_name.split('_') -%}
                {%- set shared.count = shared.count + 1 -%}
            {%- endfor -%}
            {%- set rank = (100 if raw_type_is_compatible(contract_type, found_type) else 0) + shared.count -%}
            {%- if shared.count > 0 and rank > best.rank -%}
                {%- set best.name = extra_name -%}
                {%- set best.rank = rank -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if best.name is not none -%}
            {%- do hints.append(best.name ~ " looks like " ~ missing_name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(hints) }}
{% endmacro %}

{% macro duckdb__raw_rename_hints(missing, extra) %}
    {%- if not missing or not extra -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set pairs = [] -%}
    {%- for missing_name, contract_type in missing.items() -%}
        {%- for extra_name, found_type in extra.items() -%}
            {%- do pairs.append(
                "('" ~ missing_name | replace("'", "''") ~ "', '" ~ extra_name | replace("'", "''") ~ "', "
                ~ ('true' if raw_type_is_compatible(contract_type, found_type) else 'false') ~ ")"
            ) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set sql -%}
        with candidates (missing_name, extra_name, is_type_compatible) as (values {{ pairs | join(', ') }}),
        scored as (
            select
                *,
                len(list_intersect(
                    list_filter(string_split(missing_name, '_'), lambda token: len(token) >= 3),
                    list_filter(string_split(extra_name, '_'), lambda token: len(token) >= 3)
                )) as count_shared_tokens,
                levenshtein(missing_name, extra_name) as distance,
                jaro_winkler_similarity(missing_name, extra_name) as similarity
            from candidates
        )
        select missing_name, extra_name
        from scored
        where count_shared_tokens > 0 or distance <= 2 or similarity >= 0.9
        qualify row_number() over (
            partition by missing_name
            order by is_type_compatible desc, count_shared_tokens desc, similarity desc, extra_name
        ) = 1
        order by missing_name
    {%- endset -%}
    {%- set hints = [] -%}
    {%- for row in run_query(sql).rows -%}
        {%- do hints.append(row[1] ~ " looks like " ~ row[0]) -%}
    {%- endfor -%}
    {{ return(hints) }}
{% endmacro %}
