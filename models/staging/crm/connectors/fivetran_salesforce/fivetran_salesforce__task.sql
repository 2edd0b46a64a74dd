-- One Salesforce task row as the contract's crm.task. (connectors.crm = fivetran_salesforce)
{{ config(enabled=var('connectors').get('crm', 'contract') == 'fivetran_salesforce') }}
{{ fivetran_salesforce_as_contract('task', [
    ('id', type_text()),
    ('account_id', type_text()),
    ('who_id', type_text()),
    ('owner_id', type_text()),
    ('type', type_text()),
    ('subject', type_text()),
    ('activity_date', 'date'),
    ('status', type_text()),
    ('is_deleted', 'boolean'),
]) }}
