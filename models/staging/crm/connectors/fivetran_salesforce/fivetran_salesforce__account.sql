-- One Salesforce account row as the contract's crm.account. (connectors.crm = fivetran_salesforce)
{{ config(enabled=var('connectors').get('crm', 'contract') == 'fivetran_salesforce') }}
{{ fivetran_salesforce_as_contract('account', [
    ('id', type_text()),
    ('name', type_text()),
    ('type', type_text()),
    ('industry', type_text()),
    ('number_of_employees', 'bigint'),
    ('billing_country', type_text()),
    ('website', type_text()),
    ('owner_id', type_text()),
    ('customer_tier__c', type_text()),
    ('contract_type__c', type_text()),
    ('is_test__c', 'boolean'),
    ('created_date', 'timestamp'),
    ('is_deleted', 'boolean'),
]) }}
