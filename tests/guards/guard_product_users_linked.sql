-- Product users that link to no account: an error, because their events count for no account and
-- those accounts read as zero usage instead of missing.
{{ config(severity='error') }}
{{ unlinked_share_guard(
    system='product_user',
    source_name='product',
    records_label='product users (product.tracks and groups)',
    limit_var='guard_max_unlinked_product_user_share',
    effect="Their events count for no account, so the accounts they use read as zero usage instead"
        ~ " of missing: logins, active users and usage trend fall, product and onboarding scores bend"
        ~ " down and healthy accounts turn unhealthy.",
    remedy=(
        "Link them: Segment group calls whose group_id is the CRM account id or is mapped to one by var"
        ~ " segment__group_mapping, an e-mail for each user id on identifies (in the trait column named by"
        ~ " var segment__email_trait, now '" ~ var('segment__email_trait') ~ "'),"
        if connector_for('product') == 'segment'
        else "Link them: Segment group calls whose group_id is the CRM account id (groups.group_id),"
    ) ~ " or user e-mails on the account's website or support organization domains."
) }}
