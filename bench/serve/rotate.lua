-- rotate.lua: wrk requests cycling through the paths in the file $PATHS
-- (one a line), so a run measures many queries / filings, not one cached.
local paths = {}
local i = 0
for line in io.lines(os.getenv("PATHS")) do paths[#paths + 1] = line end
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
