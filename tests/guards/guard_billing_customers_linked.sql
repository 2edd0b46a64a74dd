-- Billing customers that link to no account: an error, because their subscriptions belong to no
-- account: accounts paying only through them are not scored at all, the others lose seats and MRR.
{{ config(severity='error') }}
{{ unlinked_share_guard(
    system='billing_customer',
    source_name='billing',
    records_label='billing customers (billing.customer)',
    limit_var='guard_max_unlinked_billing_customer_share',
    effect="Their subscriptions belong to no account: accounts paying only through them drop out of"
        ~ " scoring (not a customer), and the others lose seats and MRR, which bends per-seat"
        ~ " signals and revenue at risk.",
    remedy=(
        "Put the CRM account id in the Stripe customer metadata key named by var"
        ~ " fivetran_stripe__crm_id_metadata_key (now '" ~ var('fivetran_stripe__crm_id_metadata_key') ~ "')"
        if connector_for('billing') == 'fivetran_stripe'
        else "Put the CRM account id in the customer metadata key crm_account_id"
    ) ~ ", or use billing e-mails on the account's website domain."
) }}
