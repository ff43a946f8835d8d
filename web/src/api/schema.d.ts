// Generated from the OpenAPI document by scripts/webApiTypes.ts: do not edit.

export interface paths {
    "/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Log positions, lag and failures per consumer; the last check of the hash chain; and, to admins and editors (they count the whole library), assets by status and running and failed pipeline executions */
        get: operations["getStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness, for a load balancer: 503 until the projections this host keeps in its data directory (audit, collections, users, ...; on a processors worker, those its pipeline runner reads) have each come within 1,000 events of the log, then 200 for good. A new host folds the whole log into its own copies first; answering from half of them, it would refuse a viewer the assets shared with them. */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness (always 200), with the last check of the hash chain: tamperEvidence.ok false means it found the log altered or could not check it */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus's scrape (admins and the metrics group): requests by route and status, consumers' lag, dead letters, the process */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/assets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the assets the caller may see, newest first (by ingest date unless sort says otherwise), paged by cursor */
        get: operations["listAssets"];
        put?: never;
        /** Upload files (multipart/form-data): every file part becomes an asset, answered in order in `assets`; the same bytes twice make one asset (a duplicate). 413 over the per-file size or the file count limit: then no file is kept. */
        post: operations["uploadAssets"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/assets/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One asset record, and what the caller may do with it; its ETag is its version
         * @description `may` lists the actions the caller may perform on this asset, as the routes that perform them decide (Cedar, on their role, groups and the shares of the collections the asset is in): view; downloadOriginal (GET /assets/{id}/original); editMetadata (PATCH /assets/{id}, POST /assets/{id}/redactions); delete (DELETE /assets/{id}); reprocess (POST /assets/{id}/reprocess). It is what a client should offer; each route still decides when asked. The listing (GET /assets) does not carry it.
         */
        get: operations["getAsset"];
        put?: never;
        post?: never;
        /** Delete an asset (its history stays on the log) */
        delete: operations["deleteAsset"];
        options?: never;
        head?: never;
        /** Edit user metadata; with If-Match: "<version>", only if the asset is still at that version (else 409); * for any version. Text with unpaired surrogates is refused (400). */
        patch: operations["updateAsset"];
        trace?: never;
    };
    "/assets/{id}/redactions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Redact an asset's free text: the fields named (title, description, originalName) leave its record and search (the file name becomes [redacted] with its extension). The event names the fields, never their text; the events that carried it stay on the log, and in the audit trail, as written (an asset's history here shows them redacted). If-Match as for PATCH. */
        post: operations["redactAsset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/assets/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An asset's history, in order */
        get: operations["getAssetHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/assets/{id}/renditions/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The bytes of one rendition (thumbnail, proxy), with byte ranges for players that seek
         * @description Accept-Ranges: bytes. One range (bytes=a-b, a-, -n) gets 206 with Content-Range; one past the end 416 with Content-Range: bytes *\/SIZE; a malformed Range, or several ranges, the whole (200). If-Range with the ETag (or Last-Modified) applies the range only while it is current; If-None-Match with it gets 304. Cache-Control: no-cache (the bytes behind the URL can change). HEAD: the same headers, no body.
         */
        get: operations["getRendition"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        /**
         * The bytes of one rendition (thumbnail, proxy), with byte ranges for players that seek
         * @description Accept-Ranges: bytes. One range (bytes=a-b, a-, -n) gets 206 with Content-Range; one past the end 416 with Content-Range: bytes *\/SIZE; a malformed Range, or several ranges, the whole (200). If-Range with the ETag (or Last-Modified) applies the range only while it is current; If-None-Match with it gets 304. Cache-Control: no-cache (the bytes behind the URL can change). HEAD: the same headers, no body.
         */
        head: operations["headRendition"];
        patch?: never;
        trace?: never;
    };
    "/assets/{id}/original": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The original bytes as ingested, as a download under their original name (Content-Disposition: attachment)
         * @description Accept-Ranges: bytes. One range (bytes=a-b, a-, -n) gets 206 with Content-Range; one past the end 416 with Content-Range: bytes *\/SIZE; a malformed Range, or several ranges, the whole (200). If-Range with the ETag (or Last-Modified) applies the range only while it is current; If-None-Match with it gets 304. Cache-Control: no-cache (the bytes behind the URL can change). HEAD: the same headers, no body.
         */
        get: operations["getOriginal"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        /**
         * The original bytes as ingested, as a download under their original name (Content-Disposition: attachment)
         * @description Accept-Ranges: bytes. One range (bytes=a-b, a-, -n) gets 206 with Content-Range; one past the end 416 with Content-Range: bytes *\/SIZE; a malformed Range, or several ranges, the whole (200). If-Range with the ETag (or Last-Modified) applies the range only while it is current; If-None-Match with it gets 304. Cache-Control: no-cache (the bytes behind the URL can change). HEAD: the same headers, no body.
         */
        head: operations["headOriginal"];
        patch?: never;
        trace?: never;
    };
    "/uploads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a resumable upload (tus 1.0.0: creation, creation-with-upload, expiration): Upload-Length, and Upload-Metadata with a filename; the same authentication, action and quota as POST /assets. A finished upload is ingested as POST /assets ingests it */
        post: operations["createUpload"];
        delete?: never;
        /** What this tus server offers (no Tus-Resumable needed): Tus-Version, Tus-Extension, Tus-Max-Size */
        options: operations["optionsUploads"];
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/uploads/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Abandon an upload of yours (tus termination): its bytes leave staging */
        delete: operations["deleteUpload"];
        /** What this tus server offers (no Tus-Resumable needed): Tus-Version, Tus-Extension, Tus-Max-Size */
        options: operations["optionsUpload"];
        /** Where an upload of yours stands: resume it from Upload-Offset */
        head: operations["headUpload"];
        /** Send bytes of an upload (application/offset+octet-stream) from Upload-Offset, which must be where it stands; the last byte's request answers the ingest */
        patch: operations["sendUploadBytes"];
        trace?: never;
    };
    "/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Search with filters and facets. mode=keyword (default): words in names, titles, tags, descriptions, cameras, creators and people shown, and a document's text (its first 64 Ki characters); video and audio also by duration (minDuration, maxDuration, in seconds), resolution class and codec, each a facet. mode=semantic: images ranked by how well they match the text (CLIP); mode=hybrid: both rankings fused (reciprocal rank fusion). In the semantic modes the facets count the filtered library. Every mode, its totals and its facets cover only the assets the caller may see; collection= keeps those of one collection. Totals and facets are exact up to 10,000 matches; past that total is that many with totalRelation gte (at least), and the facets count a sample of the matches (facetsRelation gte). */
        get: operations["searchAssets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/assets/{id}/similar": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The assets whose embeddings (images; videos by their representative frames) are nearest this one's (configured model), most similar first, with filters */
        get: operations["listSimilarAssets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/assets/{id}/duplicates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The near-duplicates of an asset (re-encoded, resized or lightly edited copies): the other members of its group, which is named after its representative (or, where the caller may not see that, after the first member they may see); empty when it is in none */
        get: operations["listAssetDuplicates"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/duplicates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Groups of near-duplicate assets (close perceptual hashes, confirmed by embeddings when there are some); a viewer sees the members they may see, and the groups with two or more of them */
        get: operations["listDuplicateGroups"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/projections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every projection: its version, live generation, backend, and whether it is stale (built by an older version) */
        get: operations["listProjections"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/projections/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every projection with its lag in events and in seconds (how long the oldest event not yet applied has waited) and its last rebuild */
        get: operations["getProjectionsStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/projections/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One projection: version, live generation, lag, and the progress of its last rebuild */
        get: operations["getProjection"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/projections/{name}/rebuild": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Starts building a new generation from the whole log beside the live one, which keeps serving; it is switched in atomically and the old one dropped. 202 at once; follow it at GET /projections/:name. 409 while one runs. */
        post: operations["rebuildProjection"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cameras": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Live assets counted by camera make, model and capture year (filters match whole names, any case); for admins and editors, as it counts the whole library */
        get: operations["listCameras"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/pipelines": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The deployed pipelines: version, enabled, definition, and counts of executions (not to a viewer: they count the whole library) */
        get: operations["listPipelines"];
        put?: never;
        /** Check a definition against the catalogue and deploy it as its version (201; 200 when that version with that definition is deployed already) */
        post: operations["deployPipeline"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/pipelines/catalogue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The node types a definition may use: what each does, needs, gives and outputs */
        get: operations["getPipelineCatalogue"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/pipelines/schema": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The JSON Schema of a pipeline definition */
        get: operations["getPipelineSchema"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/pipelines/check": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Check a definition as deploying it would (the catalogue, the collections and watermark files it names, the size of its deployment), and deploy nothing: every problem, each naming its place (nodes[1].parameters.size: …), or none, and warnings that refuse nothing */
        post: operations["checkPipeline"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/pipelines/executions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Executions of every pipeline, newest first (status=running or failed for what needs attention); a viewer sees those of the assets they may see */
        get: operations["listExecutions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/pipelines/executions/{executionId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One execution with each node's state, tries and duration, and the definition of the version it ran */
        get: operations["getExecution"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/pipelines/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One pipeline */
        get: operations["getPipeline"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/pipelines/{name}/executions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A pipeline's executions, newest first */
        get: operations["listPipelineExecutions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/pipelines/{name}/enable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Enable a pipeline: its triggers run it again, from now on; a default pipeline's from the next start of the processes that run processors (takesEffect says which) */
        post: operations["enablePipeline"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/pipelines/{name}/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Disable a pipeline: its triggers no longer run it, from now on; a default pipeline's from the next start of the processes that run processors (takesEffect says which) */
        post: operations["disablePipeline"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/pipelines/{name}/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run the pipeline's deployed version on assets: by id, a search's hits, or a collection's assets (nested collections included) (202: the runner takes the requests) */
        post: operations["runPipeline"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/pipelines/{name}/backfill": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run the deployed version over every asset its trigger selects that the version has not run on (202) */
        post: operations["backfillPipeline"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/pipelines/{name}/webhook": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The inbound webhook of a pipeline triggered by one: the shared secret in X-Medialake-Secret, the assets in the body (202) */
        post: operations["triggerPipelineWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who did what to which asset, when and from where: filter by asset, actor, type (comma-separated), source (a prefix ends in *), from/to (UTC; a date as `to` includes its day); paged by cursor (`next`, or the X-Next-Cursor header for CSV). format=csv (or Accept: text/csv) answers CSV. */
        get: operations["queryAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Checks the log's hash chain (per partition on the embedded log, per asset on Kafka and Kinesis, against the heads Redis keeps): every edited, deleted, inserted or reordered event, by partition and offset. Reads the whole log; the result shows in /status and /health until the next check. */
        get: operations["verifyAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Server-sent events (text/event-stream): one `asset` event per event appended to the log from now on (of the assets the caller may see), its data {id, assetId, type, assetVersion, time}; a comment line every 15 s keeps the stream open. Read the asset for what changed. */
        get: operations["streamLiveEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/collections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The collections the caller may see, by name */
        get: operations["listCollections"];
        put?: never;
        /** Create a collection, at the top or nested under another (parentId) */
        post: operations["createCollection"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/collections/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One collection, with its shares; its ETag is its version, for If-Match */
        get: operations["getCollection"];
        put?: never;
        post?: never;
        /** Delete a collection (its assets stay); one with collections nested under it is 409. If-Match as for PATCH */
        delete: operations["deleteCollection"];
        options?: never;
        head?: never;
        /** Rename a collection, or nest it under another (parentId; null: to the top). Nesting it under itself or a collection under it is 409. With If-Match: "<version>" (its ETag), only if the collection is still at that version (else 409); * for any version. */
        patch: operations["updateCollection"];
        trace?: never;
    };
    "/collections/{id}/assets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A collection's assets (not those of collections nested under it), newest first, as search hits */
        get: operations["listCollectionAssets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/collections/{id}/assets/{assetId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Add an asset to a collection */
        put: operations["addCollectionAsset"];
        post?: never;
        /** Remove an asset from a collection (the asset stays in the library) */
        delete: operations["removeCollectionAsset"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/collections/{id}/shares": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Share a collection (and those nested under it) with a principal (a local user by name, user:USER_ID, oidc:ISSUER#SUB) or a group, as viewer or editor; sharing again changes the role */
        put: operations["shareCollection"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/collections/{id}/shares/{kind}/{subject}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a share: its assets are out of sight for that principal or group as soon as this answers */
        delete: operations["revokeCollectionShare"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/favourites": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's favourite assets that they may still see, latest first */
        get: operations["listFavourites"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/favourites/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Mark an asset as a favourite of the caller */
        put: operations["addFavourite"];
        post?: never;
        /** Take an asset off the caller's favourites */
        delete: operations["removeFavourite"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/dead-letters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Events a processor gave up on after its retries, newest first: every consumer's, or one consumer's or asset's, paged by cursor */
        get: operations["listDeadLetters"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/assets/{id}/reprocess": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run processors again on an asset (all that handle it, or those named): their new results are new events, the old ones stay in history */
        post: operations["reprocessAsset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/media-credential": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A cookie (HttpOnly, SameSite=Strict, Path=/assets) with which the browser fetches renditions and originals by itself (<img>, <video>, download links) for an hour: as the caller, whose access is decided on each request */
        post: operations["createMediaCredential"];
        /** Removes the browser's media cookie (on signing out) */
        delete: operations["deleteMediaCredential"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** How the web UI signs people in: the OIDC issuer's endpoints, app client and scopes, if the lake has an issuer */
        get: operations["getAuthConfig"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who the caller is: name, roles, groups and what they may do, and whether semantic search is there (what the web UI shows and offers) */
        get: operations["getMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The local users, with their keys (ids only) */
        get: operations["listUsers"];
        put?: never;
        /** Add a local user with a role and a first API key (answered this once) */
        post: operations["createUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/{userId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change a user's role, groups or both: from their next request on */
        patch: operations["updateUser"];
        trace?: never;
    };
    "/users/{userId}/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Disable a user: their keys stop working at once; their history stays */
        post: operations["disableUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/{userId}/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A new API key for the user (answered this once) */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/keys/{keyId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API key: requests with it are refused from now on */
        delete: operations["revokeApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        ApiErrorInput: {
            error: {
                /** @description what happened, for a program: VERSION_CONFLICT, INVALID_REQUEST, … */
                code: string;
                /** @description what happened, in one sentence a person can act on */
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        ApiError: {
            error: {
                /** @description what happened, for a program: VERSION_CONFLICT, INVALID_REQUEST, … */
                code: string;
                /** @description what happened, in one sentence a person can act on */
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getStatus: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        consumers: {
                            group: string;
                            /** @description the last position handled, by partition */
                            positions: {
                                [key: string]: string;
                            };
                            /** @description events behind the log, over its partitions */
                            lag: number;
                            /** @description the lag by partition */
                            partitions: {
                                [key: string]: number;
                            };
                            deadLetters: number;
                            /** @description where this process runs the consumer and every batch fails: since when, and the last error's code */
                            failing?: {
                                since: string;
                                code: string;
                            };
                            /**
                             * @description a projection each host keeps in its own data directory
                             * @enum {boolean}
                             */
                            local?: true;
                        }[];
                        /** @description assets by status */
                        assets?: {
                            [key: string]: number;
                        };
                        /** @description the latest running and failed executions, as GET /pipelines/executions shows them */
                        pipelines?: {
                            running: unknown[];
                            failed: unknown[];
                        };
                        /** @description the last check of the hash chain (audit verify, GET /audit/verify, the background check): firstBreak names where it no longer matches */
                        tamperEvidence: ({
                            verifiedAt: string;
                            /** @description false: the log was found altered, or could not be checked (error says why) */
                            ok: boolean;
                        } & {
                            [key: string]: unknown;
                        }) | null;
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        ready: boolean;
                        lagging: {
                            group: string;
                            lag: number;
                        }[];
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not ready yet (lagging names the projections still behind), or a backend it needs is unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        ready: boolean;
                        lagging: {
                            group: string;
                            lag: number;
                        }[];
                    } | components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {boolean} */
                        ok: true;
                        /** @description the last check of the hash chain (audit verify, GET /audit/verify, the background check): firstBreak names where it no longer matches */
                        tamperEvidence: ({
                            verifiedAt: string;
                            /** @description false: the log was found altered, or could not be checked (error says why) */
                            ok: boolean;
                        } & {
                            [key: string]: unknown;
                        }) | null;
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The Prometheus text exposition format (version 0.0.4) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    listAssets: {
        parameters: {
            query?: {
                limit?: number;
                /** @description the `next` of the previous page, listed with the same sort and order */
                after?: string;
                /** @description ingested: by ingest date; captured: by capture date (EXIF), the ingest date for assets without one; ties by asset id */
                sort?: "ingested" | "captured";
                /** @description desc: newest first; asc: oldest first */
                order?: "desc" | "asc";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        assets: ({
                            assetId: string;
                            /** @description the asset version of the last event folded in: the ETag, and If-Match of an edit */
                            version: number;
                            /** @enum {string} */
                            status: "processing" | "ready" | "degraded" | "failed" | "deleted";
                            originalName: string;
                            mediaType: string;
                            size: number;
                            ingestedAt: string;
                        } & {
                            [key: string]: unknown;
                        })[];
                        /** @description `after` for the next page; absent on the last */
                        next?: string;
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    uploadAssets: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": {
                    /** @description One part per file, each with a filename (the part name is not read): every file part becomes an asset */
                    file: string[];
                };
            };
        };
        responses: {
            /** @description assetId and status are the first file's (all a single-file upload needs); assets has every file */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        assetId: string;
                        /** @enum {string} */
                        status: "ingested" | "duplicate";
                        /** @description One per file part, in the order sent */
                        assets: {
                            assetId: string;
                            /** @enum {string} */
                            status: "ingested" | "duplicate";
                            name: string;
                        }[];
                    };
                };
            };
            /** @description A multipart body that cannot be read (INVALID_MULTIPART), or one without a file part (NO_FILE) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A file over api.maxUploadBytes (TOO_LARGE), or more files than api.maxUploadFiles (TOO_MANY_FILES): no file is kept */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A body that is not multipart/form-data (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    getAsset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The asset record, as GET /assets lists it, with what the caller may do with it */
            200: {
                headers: {
                    /** @description the version, "N": send it as If-Match to change this only while it is current */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        assetId: string;
                        /** @description the asset version of the last event folded in: the ETag, and If-Match of an edit */
                        version: number;
                        /** @enum {string} */
                        status: "processing" | "ready" | "degraded" | "failed" | "deleted";
                        originalName: string;
                        mediaType: string;
                        size: number;
                        ingestedAt: string;
                        /** @description The actions the caller may perform on this asset now (see the description) */
                        may: ("view" | "downloadOriginal" | "editMetadata" | "delete" | "reprocess")[];
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    deleteAsset: {
        parameters: {
            query?: never;
            header?: {
                /** @description The version as its ETag gave it ("3"), or * for whatever the current version; W/"3" never matches (412) */
                "if-match"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        assetId: string;
                        version: number;
                        eventId: string;
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description It is at another version than If-Match names (VERSION_CONFLICT): currentVersion says which */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description If-Match holds a weak entity tag, which never matches (PRECONDITION_FAILED) */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is over the size limit (TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is of a type the route does not take (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    updateAsset: {
        parameters: {
            query?: never;
            header?: {
                /** @description The version as its ETag gave it ("3"), or * for whatever the current version; W/"3" never matches (412) */
                "if-match"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    title?: string | null;
                    description?: string | null;
                    tags?: string[] | null;
                    creator?: string | null;
                    people?: string[] | null;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        assetId: string;
                        version: number;
                        eventId: string;
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description It is at another version than If-Match names (VERSION_CONFLICT): currentVersion says which */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description If-Match holds a weak entity tag, which never matches (PRECONDITION_FAILED) */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is over the size limit (TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is of a type the route does not take (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    redactAsset: {
        parameters: {
            query?: never;
            header?: {
                /** @description The version as its ETag gave it ("3"), or * for whatever the current version; W/"3" never matches (412) */
                "if-match"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    fields: ("title" | "description" | "originalName")[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        assetId: string;
                        version: number;
                        eventId: string;
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description It is at another version than If-Match names (VERSION_CONFLICT): currentVersion says which */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description If-Match holds a weak entity tag, which never matches (PRECONDITION_FAILED) */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is over the size limit (TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is of a type the route does not take (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    getAssetHistory: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        events: ({
                            id: string;
                            type: string;
                            assetId: string;
                            assetVersion: number;
                            time: string;
                            /** @description who: a person (as the log unseals it, "[erased]" once they are erased) or medialake */
                            actor: string;
                            source: string;
                            payload: {
                                [key: string]: unknown;
                            };
                        } & {
                            [key: string]: unknown;
                        })[];
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    getRendition: {
        parameters: {
            query?: {
                /** @description Any text, which the bytes do not depend on: a client changes it to fetch a redone rendition past its cache (the web UI does) */
                v?: string;
            };
            header?: {
                /** @description one byte range: bytes=a-b, a- or -n */
                Range?: string;
                /** @description the ETag or Last-Modified the range holds for: the whole object once it changed */
                "If-Range"?: string;
                /** @description an ETag the client holds: 304 while it is current */
                "If-None-Match"?: string;
            };
            path: {
                id: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The whole object */
            200: {
                headers: {
                    /** @description the object's entity tag, for If-None-Match and If-Range */
                    ETag?: string;
                    /** @description when the object was written */
                    "Last-Modified"?: string;
                    /** @description bytes */
                    "Accept-Ranges"?: string;
                    /** @description no-cache */
                    "Cache-Control"?: string;
                    /** @description an original: attachment, under its name */
                    "Content-Disposition"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "*/*": string;
                };
            };
            /** @description Partial Content: the one byte range asked for, as Content-Range says */
            206: {
                headers: {
                    /** @description bytes a-b/SIZE: the range sent */
                    "Content-Range"?: string;
                    /** @description the object's entity tag, for If-None-Match and If-Range */
                    ETag?: string;
                    /** @description bytes */
                    "Accept-Ranges"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "*/*": string;
                };
            };
            /** @description Not Modified: If-None-Match names the current ETag */
            304: {
                headers: {
                    /** @description the object's entity tag, for If-None-Match and If-Range */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The range names no byte of the object (RANGE_NOT_SATISFIABLE); Content-Range: bytes *\/SIZE */
            416: {
                headers: {
                    /** @description bytes *\/SIZE */
                    "Content-Range"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    headRendition: {
        parameters: {
            query?: {
                /** @description Any text, which the bytes do not depend on: a client changes it to fetch a redone rendition past its cache (the web UI does) */
                v?: string;
            };
            header?: {
                /** @description one byte range: bytes=a-b, a- or -n */
                Range?: string;
                /** @description the ETag or Last-Modified the range holds for: the whole object once it changed */
                "If-Range"?: string;
                /** @description an ETag the client holds: 304 while it is current */
                "If-None-Match"?: string;
            };
            path: {
                id: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The whole object */
            200: {
                headers: {
                    /** @description the object's entity tag, for If-None-Match and If-Range */
                    ETag?: string;
                    /** @description when the object was written */
                    "Last-Modified"?: string;
                    /** @description bytes */
                    "Accept-Ranges"?: string;
                    /** @description no-cache */
                    "Cache-Control"?: string;
                    /** @description an original: attachment, under its name */
                    "Content-Disposition"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "*/*": string;
                };
            };
            /** @description Partial Content: the one byte range asked for, as Content-Range says */
            206: {
                headers: {
                    /** @description bytes a-b/SIZE: the range sent */
                    "Content-Range"?: string;
                    /** @description the object's entity tag, for If-None-Match and If-Range */
                    ETag?: string;
                    /** @description bytes */
                    "Accept-Ranges"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "*/*": string;
                };
            };
            /** @description Not Modified: If-None-Match names the current ETag */
            304: {
                headers: {
                    /** @description the object's entity tag, for If-None-Match and If-Range */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The range names no byte of the object (RANGE_NOT_SATISFIABLE); Content-Range: bytes *\/SIZE */
            416: {
                headers: {
                    /** @description bytes *\/SIZE */
                    "Content-Range"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    getOriginal: {
        parameters: {
            query?: never;
            header?: {
                /** @description one byte range: bytes=a-b, a- or -n */
                Range?: string;
                /** @description the ETag or Last-Modified the range holds for: the whole object once it changed */
                "If-Range"?: string;
                /** @description an ETag the client holds: 304 while it is current */
                "If-None-Match"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The whole object */
            200: {
                headers: {
                    /** @description the object's entity tag, for If-None-Match and If-Range */
                    ETag?: string;
                    /** @description when the object was written */
                    "Last-Modified"?: string;
                    /** @description bytes */
                    "Accept-Ranges"?: string;
                    /** @description no-cache */
                    "Cache-Control"?: string;
                    /** @description an original: attachment, under its name */
                    "Content-Disposition"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "*/*": string;
                };
            };
            /** @description Partial Content: the one byte range asked for, as Content-Range says */
            206: {
                headers: {
                    /** @description bytes a-b/SIZE: the range sent */
                    "Content-Range"?: string;
                    /** @description the object's entity tag, for If-None-Match and If-Range */
                    ETag?: string;
                    /** @description bytes */
                    "Accept-Ranges"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "*/*": string;
                };
            };
            /** @description Not Modified: If-None-Match names the current ETag */
            304: {
                headers: {
                    /** @description the object's entity tag, for If-None-Match and If-Range */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The range names no byte of the object (RANGE_NOT_SATISFIABLE); Content-Range: bytes *\/SIZE */
            416: {
                headers: {
                    /** @description bytes *\/SIZE */
                    "Content-Range"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    headOriginal: {
        parameters: {
            query?: never;
            header?: {
                /** @description one byte range: bytes=a-b, a- or -n */
                Range?: string;
                /** @description the ETag or Last-Modified the range holds for: the whole object once it changed */
                "If-Range"?: string;
                /** @description an ETag the client holds: 304 while it is current */
                "If-None-Match"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The whole object */
            200: {
                headers: {
                    /** @description the object's entity tag, for If-None-Match and If-Range */
                    ETag?: string;
                    /** @description when the object was written */
                    "Last-Modified"?: string;
                    /** @description bytes */
                    "Accept-Ranges"?: string;
                    /** @description no-cache */
                    "Cache-Control"?: string;
                    /** @description an original: attachment, under its name */
                    "Content-Disposition"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "*/*": string;
                };
            };
            /** @description Partial Content: the one byte range asked for, as Content-Range says */
            206: {
                headers: {
                    /** @description bytes a-b/SIZE: the range sent */
                    "Content-Range"?: string;
                    /** @description the object's entity tag, for If-None-Match and If-Range */
                    ETag?: string;
                    /** @description bytes */
                    "Accept-Ranges"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "*/*": string;
                };
            };
            /** @description Not Modified: If-None-Match names the current ETag */
            304: {
                headers: {
                    /** @description the object's entity tag, for If-None-Match and If-Range */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The range names no byte of the object (RANGE_NOT_SATISFIABLE); Content-Range: bytes *\/SIZE */
            416: {
                headers: {
                    /** @description bytes *\/SIZE */
                    "Content-Range"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    createUpload: {
        parameters: {
            query?: never;
            header: {
                /** @description 1.0.0 */
                "Tus-Resumable": string;
                /** @description the bytes of the whole file (or Upload-Defer-Length: 1 until a later PATCH says) */
                "Upload-Length"?: string;
                /** @description 1: the length is sent with a later PATCH */
                "Upload-Defer-Length"?: string;
                /** @description key and base64 value pairs, comma-separated: filename (required), filetype, relativePath (where the file sat in a folder, which then names the asset) */
                "Upload-Metadata"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The last byte arrived: the file was ingested as POST /assets ingests it, and left staging */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        assetId: string;
                        /** @enum {string} */
                        status: "ingested" | "duplicate";
                        name: string;
                    };
                };
            };
            /** @description Created: PATCH its bytes to Location */
            201: {
                headers: {
                    /** @description the upload: /uploads/ID */
                    Location?: string;
                    /** @description the bytes this request brought (creation-with-upload) */
                    "Upload-Offset"?: string;
                    /** @description when the partial upload is removed (api.partialUploadExpiryMinutes) */
                    "Upload-Expires"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No Tus-Resumable header, or one naming a version of tus other than 1.0.0 (UNSUPPORTED_TUS_VERSION) */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is over the size limit (TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is of a type the route does not take (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    optionsUploads: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    /** @description 1.0.0 */
                    "Tus-Version"?: string;
                    /** @description creation, creation-with-upload, creation-defer-length, termination, expiration */
                    "Tus-Extension"?: string;
                    /** @description the largest upload, in bytes (api.maxUploadBytes) */
                    "Tus-Max-Size"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    deleteUpload: {
        parameters: {
            query?: never;
            header: {
                /** @description 1.0.0 */
                "Tus-Resumable": string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No Tus-Resumable header, or one naming a version of tus other than 1.0.0 (UNSUPPORTED_TUS_VERSION) */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is over the size limit (TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is of a type the route does not take (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    optionsUpload: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    /** @description 1.0.0 */
                    "Tus-Version"?: string;
                    /** @description creation, creation-with-upload, creation-defer-length, termination, expiration */
                    "Tus-Extension"?: string;
                    /** @description the largest upload, in bytes (api.maxUploadBytes) */
                    "Tus-Max-Size"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    headUpload: {
        parameters: {
            query?: never;
            header: {
                /** @description 1.0.0 */
                "Tus-Resumable": string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The upload (Cache-Control: no-store) */
            200: {
                headers: {
                    /** @description the bytes received so far */
                    "Upload-Offset"?: string;
                    /** @description the bytes the upload has in all */
                    "Upload-Length"?: string;
                    /** @description as sent when it was created */
                    "Upload-Metadata"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The partial upload expired (UPLOAD_EXPIRED, api.partialUploadExpiryMinutes): start again with POST /uploads */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No Tus-Resumable header, or one naming a version of tus other than 1.0.0 (UNSUPPORTED_TUS_VERSION) */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    sendUploadBytes: {
        parameters: {
            query?: never;
            header: {
                /** @description 1.0.0 */
                "Tus-Resumable": string;
                /** @description where these bytes start: where the upload stands */
                "Upload-Offset": string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/offset+octet-stream": string;
            };
        };
        responses: {
            /** @description The last byte arrived: the file was ingested as POST /assets ingests it, and left staging */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        assetId: string;
                        /** @enum {string} */
                        status: "ingested" | "duplicate";
                        name: string;
                    };
                };
            };
            /** @description Received; more to come */
            204: {
                headers: {
                    /** @description the bytes received so far */
                    "Upload-Offset"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Upload-Offset is not where the upload stands (INVALID_UPLOAD): HEAD it for its offset */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The partial upload expired (UPLOAD_EXPIRED, api.partialUploadExpiryMinutes): start again with POST /uploads */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No Tus-Resumable header, or one naming a version of tus other than 1.0.0 (UNSUPPORTED_TUS_VERSION) */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is over the size limit (TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The bytes were not sent as application/offset+octet-stream (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    searchAssets: {
        parameters: {
            query?: {
                q?: string;
                type?: "image" | "video" | "audio" | "document" | "other";
                minSize?: number;
                maxSize?: number;
                from?: string;
                to?: string;
                make?: string;
                model?: string;
                /** @description video and audio at least this many seconds long */
                minDuration?: number;
                /** @description video and audio at most this many seconds long */
                maxDuration?: number;
                /** @description video by the class of its display size: sd, hd (720p), fhd (1080p), uhd (2160p and more); docs/search.md has the rule */
                resolution?: "sd" | "hd" | "fhd" | "uhd";
                /** @description video or audio codec as ffprobe names it (h264, hevc, aac, mp3), in any case */
                codec?: string;
                collection?: string;
                limit?: number;
                offset?: number;
                /** @description the `next` of the previous page: a listing (no words) pages by it past any offset; without offset */
                after?: string;
                mode?: "keyword" | "semantic" | "hybrid";
                /** @description true: compare with every vector (slow on a large library); false (the default): search the approximate index */
                exact?: "true" | "false";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description how many assets match, exactly or at least (totalRelation) */
                        total: number;
                        /**
                         * @description eq: total is exact; gte: at least total match (past the exact limit)
                         * @enum {string}
                         */
                        totalRelation: "eq" | "gte";
                        hits: {
                            assetId: string;
                            score: number;
                            originalName: string;
                            title?: string;
                            mediaType: string;
                            size: number;
                            date: string;
                            make?: string;
                            model?: string;
                            duration?: number;
                            /** @enum {string} */
                            resolution?: "sd" | "hd" | "fhd" | "uhd";
                            videoCodec?: string;
                            audioCodec?: string;
                            highlights?: {
                                /** @enum {string} */
                                field: "name" | "title" | "tags" | "description" | "camera" | "people" | "text";
                                /** @description the field's text (or, when long, a fragment of it) around the matches, in order: parts 1, 3, 5… are the matching words */
                                parts: string[];
                            }[];
                        }[];
                        facets: {
                            type: {
                                value: string;
                                count: number;
                            }[];
                            make: {
                                value: string;
                                count: number;
                            }[];
                            year: {
                                value: string;
                                count: number;
                            }[];
                            /** @description video: sd, hd, fhd, uhd, by display size (720p hd, 1080p fhd, 2160p uhd) */
                            resolution: {
                                value: string;
                                count: number;
                            }[];
                            /** @description video and audio codecs: an asset counts under each codec it has */
                            codec: {
                                value: string;
                                count: number;
                            }[];
                            /** @description video and audio: 0-1m, 1-10m, 10-60m, 1h+ */
                            duration: {
                                value: string;
                                count: number;
                            }[];
                            /** @description collection ids; only those the caller may see */
                            collection: {
                                value: string;
                                count: number;
                            }[];
                        };
                        /**
                         * @description eq: counted over every match; gte: over a sample of the matches, so each count is a lower bound
                         * @enum {string}
                         */
                        facetsRelation: "eq" | "gte";
                        /** @description a listing (no words) with more hits: `after` for the next page */
                        next?: string;
                        /** @enum {string} */
                        mode: "keyword" | "semantic" | "hybrid";
                        model?: {
                            id: string;
                            revision: string;
                        };
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description mode semantic or hybrid on a lake that computes no embeddings (EMBEDDINGS_DISABLED): set embeddings.model */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    listSimilarAssets: {
        parameters: {
            query?: {
                type?: "image" | "video" | "audio" | "document" | "other";
                minSize?: number;
                maxSize?: number;
                make?: string;
                model?: string;
                /** @description video and audio at least this many seconds long */
                minDuration?: number;
                /** @description video and audio at most this many seconds long */
                maxDuration?: number;
                /** @description video by the class of its display size: sd, hd (720p), fhd (1080p), uhd (2160p and more); docs/search.md has the rule */
                resolution?: "sd" | "hd" | "fhd" | "uhd";
                /** @description video or audio codec as ffprobe names it (h264, hevc, aac, mp3), in any case */
                codec?: string;
                collection?: string;
                from?: string;
                to?: string;
                limit?: number;
                /** @description true: compare with every vector (slow on a large library); false (the default): search the approximate index */
                exact?: "true" | "false";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        assetId: string;
                        model: {
                            id: string;
                            revision: string;
                        };
                        hits: {
                            assetId: string;
                            score: number;
                            originalName: string;
                            title?: string;
                            mediaType: string;
                            size: number;
                            date: string;
                            make?: string;
                            model?: string;
                            duration?: number;
                            /** @enum {string} */
                            resolution?: "sd" | "hd" | "fhd" | "uhd";
                            videoCodec?: string;
                            audioCodec?: string;
                            highlights?: {
                                /** @enum {string} */
                                field: "name" | "title" | "tags" | "description" | "camera" | "people" | "text";
                                /** @description the field's text (or, when long, a fragment of it) around the matches, in order: parts 1, 3, 5… are the matching words */
                                parts: string[];
                            }[];
                        }[];
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The lake computes no embeddings (EMBEDDINGS_DISABLED): set embeddings.model */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    listAssetDuplicates: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        assetId: string;
                        /** @description null: in no group */
                        groupId: string | null;
                        duplicates: {
                            assetId: string;
                            originalName: string;
                            size: number;
                        }[];
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    listDuplicateGroups: {
        parameters: {
            query?: {
                limit?: number;
                /** @description the `next` of the previous page */
                after?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        groups: {
                            groupId: string;
                            /** @description by asset id */
                            assets: {
                                assetId: string;
                                originalName: string;
                                size: number;
                            }[];
                        }[];
                        /** @description `after` for the next page; absent on the last */
                        next?: string;
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    listProjections: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        projections: {
                            name: string;
                            version: number;
                            /** @description the event types its fold reads */
                            readonly events: string[];
                            description: string;
                            /** @description where its generations live; absent where its backend cannot build one beside the live one */
                            backend?: string;
                            rebuildable: boolean;
                            live?: {
                                generation: string;
                                version: number;
                                builtAt: string;
                            };
                            /** @description the live generation was built by an older version: rebuild it */
                            stale: boolean;
                        }[];
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    getProjectionsStatus: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        projections: {
                            name: string;
                            version: number;
                            /** @description the event types its fold reads */
                            readonly events: string[];
                            description: string;
                            /** @description where its generations live; absent where its backend cannot build one beside the live one */
                            backend?: string;
                            rebuildable: boolean;
                            live?: {
                                generation: string;
                                version: number;
                                builtAt: string;
                            };
                            /** @description the live generation was built by an older version: rebuild it */
                            stale: boolean;
                            positions: {
                                [key: string]: string;
                            };
                            /** @description events on the log it has not applied */
                            lag: number;
                            /** @description how long the oldest of them has waited; null where the log cannot read an event at a position */
                            lagSeconds: number | null;
                            /** @description partitions where its position lies past the log's end (the log restored from an older copy than the projection): it applies nothing more until rebuilt */
                            pastLogEnd?: string[];
                            rebuild?: {
                                projection: string;
                                generation: string;
                                version: number;
                                /** @enum {string} */
                                state: "building" | "catching-up" | "swapping" | "done" | "failed" | "interrupted";
                                applied: number;
                                total: number;
                                startedAt: string;
                                updatedAt: string;
                                finishedAt?: string;
                                error?: string;
                                eventsPerSecond: number;
                            };
                        }[];
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    getProjection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        version: number;
                        /** @description the event types its fold reads */
                        readonly events: string[];
                        description: string;
                        /** @description where its generations live; absent where its backend cannot build one beside the live one */
                        backend?: string;
                        rebuildable: boolean;
                        live?: {
                            generation: string;
                            version: number;
                            builtAt: string;
                        };
                        /** @description the live generation was built by an older version: rebuild it */
                        stale: boolean;
                        positions: {
                            [key: string]: string;
                        };
                        /** @description events on the log it has not applied */
                        lag: number;
                        /** @description how long the oldest of them has waited; null where the log cannot read an event at a position */
                        lagSeconds: number | null;
                        /** @description partitions where its position lies past the log's end (the log restored from an older copy than the projection): it applies nothing more until rebuilt */
                        pastLogEnd?: string[];
                        rebuild?: {
                            projection: string;
                            generation: string;
                            version: number;
                            /** @enum {string} */
                            state: "building" | "catching-up" | "swapping" | "done" | "failed" | "interrupted";
                            applied: number;
                            total: number;
                            startedAt: string;
                            updatedAt: string;
                            finishedAt?: string;
                            error?: string;
                            eventsPerSecond: number;
                        };
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    rebuildProjection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description the rebuild as it starts: GET /projections/:name follows it */
                        rebuild: {
                            projection: string;
                            generation: string;
                            version: number;
                            /** @enum {string} */
                            state: "building" | "catching-up" | "swapping" | "done" | "failed" | "interrupted";
                            applied: number;
                            total: number;
                            startedAt: string;
                            updatedAt: string;
                            finishedAt?: string;
                            error?: string;
                        };
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A rebuild of it runs already (REBUILD_RUNNING), or its backend cannot build a generation beside the live one (PROJECTION_NOT_REBUILDABLE) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is over the size limit (TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is of a type the route does not take (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    listCameras: {
        parameters: {
            query?: {
                make?: string;
                model?: string;
                year?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        cameras: {
                            /** @description as the camera wrote it; null where a photo's EXIF has none */
                            make: string | null;
                            model: string | null;
                            /** @description of capture; null without a capture date */
                            year: string | null;
                            assets: number;
                        }[];
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    listPipelines: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        pipelines: {
                            name: string;
                            /** @description the version deployed last: what new triggers run */
                            version: number;
                            enabled: boolean;
                            deployedAt: string;
                            /** @description the deployed version's definition, as it was checked at deploy */
                            definition: {
                                [key: string]: unknown;
                            };
                            executions?: {
                                running: number;
                                completed: number;
                                failed: number;
                            };
                        }[];
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    deployPipeline: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        version: number;
                        deployed: boolean;
                        warnings?: string[];
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        version: number;
                        deployed: boolean;
                        warnings?: string[];
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A changed definition at a version not above the deployed one (PIPELINE_VERSION_CONFLICT) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is over the size limit (TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is of a type the route does not take (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    getPipelineCatalogue: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        nodes: {
                            type: string;
                            description: string;
                            /** @description values it reads from the nodes before it (image, video) */
                            readonly needs: string[];
                            readonly gives: string[];
                            /** @description named results later edges' conditions and the definition's emits may read */
                            readonly outputs: string[];
                            /** @description their JSON Schema */
                            parameters: {
                                [key: string]: unknown;
                            };
                        }[];
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    getPipelineSchema: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description JSON Schema, draft 2020-12 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    checkPipeline: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description each naming its place; none: it would deploy */
                        problems: string[];
                        warnings?: string[];
                        /** @description the definition as checked (defaults filled in), where it has no problem */
                        definition?: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is over the size limit (TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is of a type the route does not take (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    listExecutions: {
        parameters: {
            query?: {
                status?: "running" | "completed" | "failed";
                assetId?: string;
                version?: number;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        executions: {
                            executionId: string;
                            pipeline: string;
                            version: number;
                            assetId: string;
                            /** @enum {string} */
                            status: "running" | "completed" | "failed";
                            trigger: {
                                /** @enum {string} */
                                kind: "asset" | "pipeline" | "manual" | "backfill" | "webhook";
                                eventId: string;
                            };
                            startedAt: string;
                            finishedAt?: string;
                            durationMs?: number;
                            failedNode?: string;
                            error?: {
                                code: string;
                                message: string;
                                status?: number;
                                body?: string;
                            };
                            /** @description the values the definition's emits names, by their path */
                            outputs?: {
                                [key: string]: unknown;
                            };
                        }[];
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    getExecution: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                executionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        executionId: string;
                        pipeline: string;
                        version: number;
                        assetId: string;
                        /** @enum {string} */
                        status: "running" | "completed" | "failed";
                        trigger: {
                            /** @enum {string} */
                            kind: "asset" | "pipeline" | "manual" | "backfill" | "webhook";
                            eventId: string;
                        };
                        startedAt: string;
                        finishedAt?: string;
                        durationMs?: number;
                        failedNode?: string;
                        error?: {
                            code: string;
                            message: string;
                            status?: number;
                            body?: string;
                        };
                        /** @description the values the definition's emits names, by their path */
                        outputs?: {
                            [key: string]: unknown;
                        };
                        nodes: {
                            node: string;
                            type: string;
                            /** @enum {string} */
                            status: "running" | "succeeded" | "failed" | "skipped";
                            attempts: number;
                            durationMs?: number;
                            error?: {
                                code: string;
                                message: string;
                                status?: number;
                                body?: string;
                            };
                        }[];
                        definition?: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    getPipeline: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        /** @description the version deployed last: what new triggers run */
                        version: number;
                        enabled: boolean;
                        deployedAt: string;
                        /** @description the deployed version's definition, as it was checked at deploy */
                        definition: {
                            [key: string]: unknown;
                        };
                        executions?: {
                            running: number;
                            completed: number;
                            failed: number;
                        };
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    listPipelineExecutions: {
        parameters: {
            query?: {
                status?: "running" | "completed" | "failed";
                assetId?: string;
                version?: number;
                limit?: number;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        executions: {
                            executionId: string;
                            pipeline: string;
                            version: number;
                            assetId: string;
                            /** @enum {string} */
                            status: "running" | "completed" | "failed";
                            trigger: {
                                /** @enum {string} */
                                kind: "asset" | "pipeline" | "manual" | "backfill" | "webhook";
                                eventId: string;
                            };
                            startedAt: string;
                            finishedAt?: string;
                            durationMs?: number;
                            failedNode?: string;
                            error?: {
                                code: string;
                                message: string;
                                status?: number;
                                body?: string;
                            };
                            /** @description the values the definition's emits names, by their path */
                            outputs?: {
                                [key: string]: unknown;
                            };
                        }[];
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    enablePipeline: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        enabled: boolean;
                        /** @enum {string} */
                        takesEffect: "now" | "next-start";
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is over the size limit (TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is of a type the route does not take (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    disablePipeline: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        enabled: boolean;
                        /** @enum {string} */
                        takesEffect: "now" | "next-start";
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is over the size limit (TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is of a type the route does not take (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    runPipeline: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    assetIds?: string[];
                    query?: string;
                    /** @default 200 */
                    limit?: number;
                    collectionId?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        pipeline: string;
                        version: number;
                        requested: string[];
                        skipped: {
                            assetId: string;
                            reason: string;
                        }[];
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The pipeline is disabled, or its trigger does not run on assets (PIPELINE_TRIGGER) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is over the size limit (TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is of a type the route does not take (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    backfillPipeline: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        pipeline: string;
                        version: number;
                        requested: string[];
                        skipped: {
                            assetId: string;
                            reason: string;
                        }[];
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The pipeline is disabled, or its trigger does not run on assets (PIPELINE_TRIGGER) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is over the size limit (TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is of a type the route does not take (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    triggerPipelineWebhook: {
        parameters: {
            query?: never;
            header: {
                "x-medialake-secret": string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    assetIds?: string[];
                    query?: string;
                    /** @default 200 */
                    limit?: number;
                    collectionId?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        pipeline: string;
                        version: number;
                        requested: string[];
                        skipped: {
                            assetId: string;
                            reason: string;
                        }[];
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description X-Medialake-Secret does not hold the webhook secret of a pipeline triggered by its webhook (BAD_SECRET) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The pipeline is disabled, or its trigger does not run on assets (PIPELINE_TRIGGER) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is over the size limit (TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is of a type the route does not take (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    queryAudit: {
        parameters: {
            query?: {
                asset?: string;
                actor?: string;
                type?: ("AssetIngested" | "TechnicalMetadataExtracted" | "UserMetadataUpdated" | "RenditionCreated" | "AssetProcessingFailed" | "AssetDeleted" | "EmbeddingComputed" | "PerceptualHashComputed" | "ReprocessRequested" | "MediaProbed" | "DocumentTextExtracted" | "TranscodeJobSubmitted" | "AssetTextRedacted" | "CollectionCreated" | "CollectionRenamed" | "CollectionMoved" | "CollectionDeleted" | "CollectionShared" | "CollectionShareRevoked" | "AssetAddedToCollection" | "AssetRemovedFromCollection" | "AssetFavourited" | "AssetUnfavourited" | "UserAdded" | "UserRoleChanged" | "UserDisabled" | "ApiKeyCreated" | "ApiKeyRevoked" | "PipelineDeployed" | "PipelineEnabled" | "PipelineDisabled" | "PipelineRunRequested" | "PipelineExecutionStarted" | "PipelineNodeStarted" | "PipelineNodeFinished" | "PipelineExecutionFinished")[];
                source?: string;
                from?: string;
                to?: string;
                order?: "asc" | "desc";
                limit?: number;
                after?: string;
                format?: "json" | "csv";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of the trail: JSON, or CSV (format=csv, or Accept: text/csv) with the next cursor in X-Next-Cursor (absent on the last page) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        entries: {
                            eventId: string;
                            /** @description UTC, ISO 8601 */
                            time: string;
                            assetId: string;
                            assetVersion: number;
                            /** @description the event type: AssetIngested, UserMetadataUpdated, … */
                            type: string;
                            actor: string;
                            source: string;
                            correlationId: string;
                            causationId: string | null;
                            partition: string;
                            offset: string;
                            /** @description the payload, with long vectors summarised */
                            payload: {
                                [key: string]: unknown;
                            };
                        }[];
                        /** @description the cursor of the next page (`after`); absent on the last */
                        next?: string;
                    };
                    "text/csv": string;
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    verifyAudit: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description no partition has a break */
                        intact: boolean;
                        /** @description per partition: its events, its head, and each break found */
                        partitions: unknown[];
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The lake keeps no hash chain (NO_HASH_CHAIN), or this server lacks the keyring the log was signed with (CHAIN_KEY_MISSING) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    streamLiveEvents: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the data of each event, one JSON object per `data:` line */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": {
                        id: string;
                        assetId: string;
                        type: string;
                        assetVersion: number;
                        time: string;
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    listCollections: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        collections: {
                            id: string;
                            name: string;
                            parentId: string | null;
                            createdBy: string;
                            createdAt: string;
                            shares: {
                                subject: {
                                    /** @enum {string} */
                                    kind: "principal" | "group";
                                    id: string;
                                };
                                /** @enum {string} */
                                role: "viewer" | "editor";
                                /** @description a local user's name, beside their principal id */
                                name?: string;
                            }[];
                            /** @description what the caller may do to it now: manageCollections (rename, move, delete), manageCollectionAssets (add and remove assets), shareCollection */
                            may: ("manageCollections" | "manageCollectionAssets" | "shareCollection")[];
                        }[];
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    createCollection: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    /** @default null */
                    parentId?: string | null;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        collectionId: string;
                        eventId: string;
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is over the size limit (TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is of a type the route does not take (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    getCollection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    /** @description the version, "N": send it as If-Match to change this only while it is current */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        parentId: string | null;
                        createdBy: string;
                        createdAt: string;
                        shares: {
                            subject: {
                                /** @enum {string} */
                                kind: "principal" | "group";
                                id: string;
                            };
                            /** @enum {string} */
                            role: "viewer" | "editor";
                            /** @description a local user's name, beside their principal id */
                            name?: string;
                        }[];
                        /** @description what the caller may do to it now: manageCollections (rename, move, delete), manageCollectionAssets (add and remove assets), shareCollection */
                        may: ("manageCollections" | "manageCollectionAssets" | "shareCollection")[];
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    deleteCollection: {
        parameters: {
            query?: never;
            header?: {
                /** @description The version as its ETag gave it ("3"), or * for whatever the current version; W/"3" never matches (412) */
                "if-match"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        collectionId: string;
                        eventId: string;
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Collections are nested under it (COLLECTION_HAS_CHILDREN): move or delete them first; or it is at another version than If-Match names (VERSION_CONFLICT) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description If-Match holds a weak entity tag, which never matches (PRECONDITION_FAILED) */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is over the size limit (TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is of a type the route does not take (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    updateCollection: {
        parameters: {
            query?: never;
            header?: {
                /** @description The version as its ETag gave it ("3"), or * for whatever the current version; W/"3" never matches (412) */
                "if-match"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    parentId?: string | null;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        collectionId: string;
                        eventIds: string[];
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The collection would be nested under itself or a collection under it (COLLECTION_CYCLE), or is at another version than If-Match names (VERSION_CONFLICT) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description If-Match holds a weak entity tag, which never matches (PRECONDITION_FAILED) */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is over the size limit (TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is of a type the route does not take (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    listCollectionAssets: {
        parameters: {
            query?: {
                limit?: number;
                offset?: number;
                /** @description the `next` of the previous page: a listing (no words) pages by it past any offset; without offset */
                after?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description how many assets match, exactly or at least (totalRelation) */
                        total: number;
                        /**
                         * @description eq: total is exact; gte: at least total match (past the exact limit)
                         * @enum {string}
                         */
                        totalRelation: "eq" | "gte";
                        hits: {
                            assetId: string;
                            score: number;
                            originalName: string;
                            title?: string;
                            mediaType: string;
                            size: number;
                            date: string;
                            make?: string;
                            model?: string;
                            duration?: number;
                            /** @enum {string} */
                            resolution?: "sd" | "hd" | "fhd" | "uhd";
                            videoCodec?: string;
                            audioCodec?: string;
                            highlights?: {
                                /** @enum {string} */
                                field: "name" | "title" | "tags" | "description" | "camera" | "people" | "text";
                                /** @description the field's text (or, when long, a fragment of it) around the matches, in order: parts 1, 3, 5… are the matching words */
                                parts: string[];
                            }[];
                        }[];
                        /** @description a listing (no words) with more hits: `after` for the next page */
                        next?: string;
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    addCollectionAsset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                assetId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        collectionId: string;
                        /** @description the event appended; absent where nothing changed, as it was so already */
                        eventId?: string;
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is over the size limit (TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is of a type the route does not take (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    removeCollectionAsset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                assetId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        collectionId: string;
                        /** @description the event appended; absent where nothing changed, as it was so already */
                        eventId?: string;
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is over the size limit (TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is of a type the route does not take (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    shareCollection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    subject: {
                        /** @enum {string} */
                        kind: "principal" | "group";
                        id: string;
                    };
                    /** @enum {string} */
                    role: "viewer" | "editor";
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        collectionId: string;
                        eventId: string;
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is over the size limit (TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is of a type the route does not take (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    revokeCollectionShare: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                kind: "principal" | "group";
                subject: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        collectionId: string;
                        eventId: string;
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is over the size limit (TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is of a type the route does not take (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    listFavourites: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        assetIds: string[];
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    addFavourite: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description the stream of the caller's favourites, which the event was appended to */
                        assetId: string;
                        /** @description the event appended; absent where nothing changed, as it was so already */
                        eventId?: string;
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is over the size limit (TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is of a type the route does not take (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    removeFavourite: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description the stream of the caller's favourites, which the event was appended to */
                        assetId: string;
                        /** @description the event appended; absent where nothing changed, as it was so already */
                        eventId?: string;
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is over the size limit (TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is of a type the route does not take (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    listDeadLetters: {
        parameters: {
            query?: {
                /** @description one consumer's: processor:NAME */
                group?: string;
                /** @description one asset's */
                asset?: string;
                limit?: number;
                /** @description the `next` of the page before */
                after?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deadLetters: {
                            /** @description the consumer that gave up: processor:<name> */
                            group: string;
                            eventId: string;
                            assetId: string;
                            attempts: number;
                            error: string;
                            time: string;
                        }[];
                        /** @description the cursor of the next page (`after`); absent on the last */
                        next?: string;
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    reprocessAsset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        /** @description optional: without a body, every processor that handles the asset */
        requestBody?: {
            content: {
                "application/json": {
                    /** @description processor names (default: every one that handles the asset) */
                    processors?: string[];
                    /** @description why, for the audit trail */
                    reason?: string;
                } | null;
            };
        };
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        assetId: string;
                        /** @description the ReprocessRequested event on the log */
                        eventId: string;
                        processors: string[];
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No processor handles the asset, or those named do not (NOT_REPROCESSABLE) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is over the size limit (TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is of a type the route does not take (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    createMediaCredential: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    /** @description medialake_media=…; Path=/assets; Max-Age=…; HttpOnly; SameSite=Strict */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * Format: date-time
                         * @description When the cookie stops working: ask again before
                         */
                        expires: string;
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is over the size limit (TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is of a type the route does not take (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    deleteMediaCredential: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed: Set-Cookie expires it (No Content) */
            204: {
                headers: {
                    /** @description medialake_media=; Max-Age=0: the cookie expired */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is over the size limit (TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is of a type the route does not take (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    getAuthConfig: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Sign-in with the OIDC issuer (authorization code with PKCE); null where the lake has none: API keys only */
                        oidc: {
                            /** Format: uri */
                            issuer: string;
                            /** @description The public app client the UI signs in as (no secret: PKCE) */
                            clientId: string;
                            scopes: string[];
                            /** Format: uri */
                            authorizationEndpoint: string;
                            /** Format: uri */
                            tokenEndpoint: string;
                            /**
                             * Format: uri
                             * @description Where sign-out ends the issuer's session too; absent if the issuer has none
                             */
                            logoutEndpoint?: string;
                        } | null;
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    getMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        /** @enum {string} */
                        kind: "user" | "key" | "oidc";
                        roles: ("admin" | "editor" | "viewer")[];
                        groups: string[];
                        /** @description what the caller may do to the whole library now (a collection's own actions are in its `may`) */
                        may: ("upload" | "manageCollections" | "managePipelines" | "manageUsers" | "readAudit" | "reprocess" | "rebuildProjections")[];
                        /** @description whether the lake has an embedding model: similar assets, semantic and hybrid search (else they answer 409 EMBEDDINGS_DISABLED) */
                        semanticSearch: boolean;
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    listUsers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        users: {
                            userId: string;
                            name: string;
                            /** @enum {string} */
                            role: "admin" | "editor" | "viewer";
                            groups: string[];
                            disabled: boolean;
                            createdAt: string;
                            keys: {
                                keyId: string;
                                revoked: boolean;
                                createdAt: string;
                            }[];
                        }[];
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    createUser: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    /** @enum {string} */
                    role: "admin" | "editor" | "viewer";
                    /** @default [] */
                    groups?: string[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        keyId: string;
                        /** @description The API key itself: shown this once, kept by the lake only as a hash */
                        apiKey: string;
                        user: {
                            userId: string;
                            name: string;
                            /** @enum {string} */
                            role: "admin" | "editor" | "viewer";
                            groups: string[];
                            disabled: boolean;
                            createdAt: string;
                            keys: {
                                keyId: string;
                                revoked: boolean;
                                createdAt: string;
                            }[];
                        };
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description There is a user of that name already (USER_EXISTS) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is over the size limit (TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is of a type the route does not take (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    updateUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    role?: "admin" | "editor" | "viewer";
                    groups?: string[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        userId: string;
                        name: string;
                        /** @enum {string} */
                        role: "admin" | "editor" | "viewer";
                        groups: string[];
                        disabled: boolean;
                        createdAt: string;
                        keys: {
                            keyId: string;
                            revoked: boolean;
                            createdAt: string;
                        }[];
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The user is the last enabled admin (LAST_ADMIN): make another user admin first */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is over the size limit (TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is of a type the route does not take (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    disableUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        userId: string;
                        name: string;
                        /** @enum {string} */
                        role: "admin" | "editor" | "viewer";
                        groups: string[];
                        disabled: boolean;
                        createdAt: string;
                        keys: {
                            keyId: string;
                            revoked: boolean;
                            createdAt: string;
                        }[];
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The user is the last enabled admin (LAST_ADMIN): make another user admin first */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is over the size limit (TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is of a type the route does not take (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        keyId: string;
                        /** @description The API key itself: shown this once, kept by the lake only as a hash */
                        apiKey: string;
                    };
                };
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is over the size limit (TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is of a type the route does not take (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    revokeApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                keyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked (No Content) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is invalid: INVALID_REQUEST names the parameter, header or field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description No credential, or one that is not valid (UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The caller may not do this (FORBIDDEN), or a form posted without a bearer credential (CROSS_SITE_REQUEST) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Not found, or not visible to the caller (which is the same to them) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request did not arrive in time: nothing for api.bodyTimeoutMs, or not whole within api.requestTimeoutMs (REQUEST_TIMEOUT) */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is over the size limit (TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description A segment of the path is over 128 characters (URI_TOO_LONG): no id or name is that long */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The body is of a type the route does not take (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The Host is not one of the names of this API (HOST_NOT_ALLOWED): see api.allowedHosts */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description Too many requests a minute (RATE_LIMITED), or over the upload quota (UPLOAD_QUOTA): retry later */
            429: {
                headers: {
                    /** @description seconds until a request is taken again */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The request headers are over the size limit (HEADERS_TOO_LARGE) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description The server failed (INTERNAL: its log says why), a backend it needs is unavailable (503), it has no file descriptor left (503 TOO_MANY_OPEN_FILES), or its storage is full (507 STORAGE_FULL) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
}
