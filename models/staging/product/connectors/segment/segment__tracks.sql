-- Segment tracks as the raw contract's product.tracks. The contract's user_id is the user's
-- e-mail; Segment's is the app's own user id, resolved to an e-mail through identifies.
{{ config(enabled=var('connectors').get('product', 'contract') == 'segment') }}

with tracks as (
    select * from {{ source('segment', 'tracks') }}
),

user_emails as (
    {{ segment_user_emails() }}
),

final as (
    select
        cast(tracks.id as {{ type_text() }}) as id,
        {{ segment_user_email('tracks.user_id', 'user_emails') }} as user_id,
        cast(tracks.anonymous_id as {{ type_text() }}) as anonymous_id,
        cast(tracks.event as {{ type_text() }}) as event,
        cast(tracks.timestamp as timestamptz) as timestamp,
        cast(tracks.received_at as timestamptz) as received_at,
        {{ to_utc('tracks.uuid_ts') }} as _loaded_at,
        tracks._raw_file
    from tracks
    left join user_emails
        on cast(tracks.user_id as {{ type_text() }}) = user_emails.user_id
)

select * from final
