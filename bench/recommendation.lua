-- wrk script: a prospect's checklist answers for the seed guide.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"answers":{"team-language":"python","realtime":"no","admin-panel":"yes","data-science":"yes",
"share-code":"no","request-volume":"medium","convention":"convention","databases":["sql","mongodb"]}}]]
