{#- On-run-start, before the raw checks: engines that read the raw Parquet folders in place but
    cannot name a folder in a source (Spark) get a view per source table instead. Nothing on DuckDB
    (its sources read the folders through external_location) or Postgres (python_checks.load_raw
    loads them). -#}
{% macro register_raw_sources() %}
    {{ return(adapter.dispatch('register_raw_sources', 'customer_health')()) }}
{% endmacro %}

{% macro default__register_raw_sources() %}
    {{ return('') }}
{% endmacro %}

{#- Spark: view `<source schema>.<table>` (raw_crm.account, or the connector's schema such as
    salesforce.account) reads `$RAW_DATA_DIR/<raw_folder>/<table>/*.parquet` with the batch file
    in `_raw_file` (input_file_name(); the base models keep its last three parts, macro
    raw_file_key). Batches that differ in columns are read by name (the profile's
    spark.sql.parquet.mergeSchema). A table whose folder has no Parquet file gets no view, and the
    raw checks name the folder. Sources in var raw_schemas are warehouse tables: left alone. -#}
{% macro spark__register_raw_sources() %}
    {%- if not (execute and flags.WHICH in ('build', 'run')) -%}
        {{ return('') }}
    {%- endif -%}
    {%- set raw_dir = var('raw_data_dir') -%}
    {%- set folders = spark_raw_parquet_folders(raw_dir) -%}
    {%- set schemas = [] -%}
    {%- for node in graph.sources.values()
            if node.package_name == project_name
            and node.meta.get('external_location', '').startswith('read_parquet') -%}
        {%- set folder = node.meta.raw_folder ~ '/' ~ node.identifier -%}
        {%- if node.schema not in schemas -%}
            {%- do run_query('create database if not exists ' ~ node.schema) -%}
            {%- do schemas.append(node.schema) -%}
        {%- endif -%}
        {%- if folder in folders -%}
            {%- do run_query(
                'create or replace view ' ~ node.schema ~ '.' ~ node.identifier
                ~ ' as select *, input_file_name() as _raw_file from parquet.`'
                ~ raw_dir ~ '/' ~ folder ~ '/*.parquet`'
            ) -%}
        {%- else -%}
            {%- do run_query('drop view if exists ' ~ node.schema ~ '.' ~ node.identifier) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ log("Spark: raw views over the Parquet folders of '" ~ raw_dir ~ "' registered", info=True) }}
    {{ return('') }}
{% endmacro %}


{#- Spark: the raw folder's files, as paths relative to it (`crm/account/batch_0001.parquet`,
    `_contract.json`); none when the folder is missing. -#}
{% macro spark_raw_files(raw_dir) %}
    {%- do run_query(
        "create or replace temporary view customer_health_raw_files using binaryFile options (path '"
        ~ raw_dir ~ "', recursiveFileLookup 'true', pathGlobFilter '*.{parquet,json}')"
    ) -%}
    {%- set paths = run_query(
        "select regexp_extract(path, '([^/]+/[^/]+/[^/]+|[^/]+)$', 1) as relative_path,"
        ~ " size(split(path, '/')) as depth from customer_health_raw_files"
    ) -%}
    {%- set found = [] -%}
    {%- set shallowest = namespace(depth=none) -%}
    {%- for row in paths.rows if shallowest.depth is none or row[1] < shallowest.depth -%}
        {%- set shallowest.depth = row[1] -%}
    {%- endfor -%}
    {%- for row in paths.rows -%}
        {%- if row[0].endswith('.parquet') -%}
            {%- do found.append(row[0]) -%}
        {%- elif row[1] == shallowest.depth -%}
            {%- do found.append(row[0].split('/')[-1]) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(found) }}
{% endmacro %}


{#- Spark: the `<raw_folder>/<table>` folders holding at least one Parquet file. -#}
{% macro spark_raw_parquet_folders(raw_dir) %}
    {%- set folders = [] -%}
    {%- for path in spark_raw_files(raw_dir) if path.endswith('.parquet') -%}
        {%- set folder = path.split('/')[:-1] | join('/') -%}
        {%- if folder not in folders -%}
            {%- do folders.append(folder) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(folders) }}
{% endmacro %}
