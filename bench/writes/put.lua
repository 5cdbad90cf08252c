-- wrk script of the writes bench: every request a PUT of a new 4 KiB file, PREFIX/1.bin, PREFIX/2.bin, ...
-- Usage: wrk -s put.lua URL -- PREFIX   (one wrk thread: the counter is the thread's own)
wrk.method = "PUT"
wrk.body = string.rep("0123456789abcdef", 256)
local prefix = "/up"
local counter = 0

function init(args)
  prefix = args[1] or prefix
end

function request()
  counter = counter + 1
  return wrk.format(nil, prefix .. "/" .. counter .. ".bin")
end
