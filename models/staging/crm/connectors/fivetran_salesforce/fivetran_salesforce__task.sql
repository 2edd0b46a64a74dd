-- One Salesforce task row as the contract's crm.task. (connectors.crm = fivetran_salesforce)
{{ config(enabled=var('connectors').get('crm', 'contract') == 'fivetran_salesforce') }}
{{ fivetran_salesforce_as_contract('task', [
    ('id', 'varchar'),
    ('account_id', 'varchar'),
    ('who_id', 'varchar'),
    ('owner_id', 'varchar'),
    ('type', 'varchar'),
    ('subject', 'varchar'),
    ('activity_date', 'date'),
    ('status', 'varchar'),
    ('is_deleted', 'boolean'),
]) }}
