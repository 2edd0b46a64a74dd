-- One Salesforce contact row as the contract's crm.contact. (connectors.crm = fivetran_salesforce)
{{ config(enabled=var('connectors').get('crm', 'contract') == 'fivetran_salesforce') }}
{{ fivetran_salesforce_as_contract('contact', [
    ('id', 'varchar'),
    ('account_id', 'varchar'),
    ('email', 'varchar'),
    ('first_name', 'varchar'),
    ('last_name', 'varchar'),
    ('title', 'varchar'),
    ('created_date', 'timestamp'),
    ('is_deleted', 'boolean'),
]) }}
