-- One Salesforce account row as the contract's crm.account. (connectors.crm = fivetran_salesforce)
{{ config(enabled=var('connectors').get('crm', 'contract') == 'fivetran_salesforce') }}
{{ fivetran_salesforce_as_contract('account', [
    ('id', 'varchar'),
    ('name', 'varchar'),
    ('type', 'varchar'),
    ('industry', 'varchar'),
    ('number_of_employees', 'bigint'),
    ('billing_country', 'varchar'),
    ('website', 'varchar'),
    ('owner_id', 'varchar'),
    ('customer_tier__c', 'varchar'),
    ('contract_type__c', 'varchar'),
    ('is_test__c', 'boolean'),
    ('created_date', 'timestamp'),
    ('is_deleted', 'boolean'),
]) }}
