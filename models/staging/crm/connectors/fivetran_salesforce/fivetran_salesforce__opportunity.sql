-- One Salesforce opportunity row as the contract's crm.opportunity. (connectors.crm = fivetran_salesforce)
{{ config(enabled=var('connectors').get('crm', 'contract') == 'fivetran_salesforce') }}
{{ fivetran_salesforce_as_contract('opportunity', [
    ('id', 'varchar'),
    ('account_id', 'varchar'),
    ('type', 'varchar'),
    ('stage_name', 'varchar'),
    ('amount', 'double'),
    ('close_date', 'date'),
    ('is_closed', 'boolean'),
    ('is_won', 'boolean'),
    ('created_date', 'timestamp'),
    ('is_deleted', 'boolean'),
]) }}
