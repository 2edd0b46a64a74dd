-- One Salesforce user row as the contract's crm.user. (connectors.crm = fivetran_salesforce)
{{ config(enabled=var('connectors').get('crm', 'contract') == 'fivetran_salesforce') }}
{{ fivetran_salesforce_as_contract('user', [
    ('id', 'varchar'),
    ('name', 'varchar'),
    ('email', 'varchar'),
    ('title', 'varchar'),
    ('is_active', 'boolean'),
]) }}
