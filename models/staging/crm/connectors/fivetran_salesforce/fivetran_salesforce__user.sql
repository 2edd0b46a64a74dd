-- One Salesforce user row as the contract's crm.user. (connectors.crm = fivetran_salesforce)
{{ config(enabled=var('connectors').get('crm', 'contract') == 'fivetran_salesforce') }}
{{ fivetran_salesforce_as_contract('user', [
    ('id', type_text()),
    ('name', type_text()),
    ('email', type_text()),
    ('title', type_text()),
    ('is_active', 'boolean'),
]) }}
