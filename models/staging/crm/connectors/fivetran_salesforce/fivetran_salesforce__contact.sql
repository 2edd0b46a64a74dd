-- One Salesforce contact row as the contract's crm.contact. (connectors.crm = fivetran_salesforce)
{{ config(enabled=var('connectors').get('crm', 'contract') == 'fivetran_salesforce') }}
{{ fivetran_salesforce_as_contract('contact', [
    ('id', type_text()),
    ('account_id', type_text()),
    ('email', type_text()),
    ('first_name', type_text()),
    ('last_name', type_text()),
    ('title', type_text()),
    ('created_date', 'timestamp'),
    ('is_deleted', 'boolean'),
]) }}
