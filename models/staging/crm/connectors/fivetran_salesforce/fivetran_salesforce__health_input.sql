-- One row of the CSM-input custom object as the contract's crm.health_input__c. (connectors.crm = fivetran_salesforce)
{{ config(enabled=var('connectors').get('crm', 'contract') == 'fivetran_salesforce'
    and 'crm.health_input__c' not in var('absent_raw_tables')) }}
{{ fivetran_salesforce_as_contract('health_input', [
    ('id', type_text()),
    ('account_id', type_text()),
    ('author_id', type_text()),
    ('author_role__c', type_text()),
    ('rating__c', 'bigint'),
    ('exec_sponsor_engaged__c', 'boolean'),
    ('note__c', type_text()),
    ('created_date', 'timestamp'),
    ('is_deleted', 'boolean'),
]) }}
