-- Shared helpers of the CLSS print filters (loaded with `require "typst_util"`).
--
-- Every text that comes from content reaches Typst either as markup written by pandoc's own
-- typst writer (escaped by pandoc) or as a Typst string literal built by `str` below: never by
-- pasting raw text into Typst source. Content arguments (`speaker: […]`) are written as raw
-- blocks around the pandoc blocks, not with pandoc.write (which costs ~2 MB of allocation per
-- call on a long document).
local M = {}

--- A Typst string literal: "…" with backslashes, quotes and control characters escaped.
function M.str(s)
  s = tostring(s or "")
  s = s:gsub("\\", "\\\\"):gsub('"', '\\"'):gsub("\r", ""):gsub("\n", "\\n"):gsub("\t", "\\t")
  return '"' .. s .. '"'
end

--- Builds Typst code interleaved with pandoc blocks:
---   local b = U.builder(); b:raw('#f(x: ['); b:inlines(inl); b:raw('])['); b:blocks(bl); b:raw(']')
---   return b:result()
function M.builder()
  local self = { out = pandoc.Blocks {}, pending = {} }
  function self:raw(code)
    self.pending[#self.pending + 1] = code
    return self
  end
  function self:flush()
    if #self.pending > 0 then
      self.out:insert(pandoc.RawBlock("typst", table.concat(self.pending)))
      self.pending = {}
    end
  end
  function self:inlines(inlines)
    self:flush()
    self.out:insert(pandoc.Plain(inlines))
    return self
  end
  function self:blocks(blocks)
    self:flush()
    for _, b in ipairs(blocks) do
      self.out:insert(b)
    end
    return self
  end
  function self:result()
    self:flush()
    return self.out
  end
  return self
end

--- Wrap blocks in a call of a template function: `#name(args)[ blocks ]`.
function M.call(name, args, blocks)
  return M.builder():raw("#" .. name .. "(" .. (args or "") .. ")["):blocks(blocks or {}):raw("]"):result()
end

--- `key: value` pairs of a Typst argument list, skipping empty values.
function M.args(pairs_list)
  local parts = {}
  for _, kv in ipairs(pairs_list) do
    if kv[2] ~= nil and kv[2] ~= "" then
      parts[#parts + 1] = kv[1] .. ": " .. kv[2]
    end
  end
  return table.concat(parts, ", ")
end

return M
