-- Shared helpers of the CLSS print filters (loaded with `require "typst_util"`).
--
-- Every text that comes from content reaches Typst either as markup written by pandoc's own
-- typst writer (escaped by pandoc) or as a Typst string literal built by `str` below: never by
-- pasting raw text into Typst source.
local M = {}

local WRITER_OPTIONS = pandoc.WriterOptions { wrap_text = "wrap-none" }

--- A Typst string literal: "…" with backslashes, quotes and control characters escaped.
function M.str(s)
  s = tostring(s or "")
  s = s:gsub("\\", "\\\\"):gsub('"', '\\"'):gsub("\r", ""):gsub("\n", "\\n"):gsub("\t", "\\t")
  return '"' .. s .. '"'
end

--- Typst markup of a list of inlines, as a content block `[…]`.
function M.inlines(inlines)
  local out = pandoc.write(pandoc.Pandoc { pandoc.Plain(inlines) }, "typst", WRITER_OPTIONS)
  return "[" .. out:gsub("%s+$", "") .. "]"
end

--- Typst markup of a list of blocks, as a content block `[…]`.
function M.blocks(blocks)
  local out = pandoc.write(pandoc.Pandoc(blocks), "typst", WRITER_OPTIONS)
  return "[" .. out:gsub("%s+$", "") .. "\n]"
end

--- Wrap blocks in a call of a template function: `#name(args)[ blocks ]`.
function M.call(name, args, blocks)
  local out = { pandoc.RawBlock("typst", "#" .. name .. "(" .. (args or "") .. ")[") }
  for _, b in ipairs(blocks or {}) do
    out[#out + 1] = b
  end
  out[#out + 1] = pandoc.RawBlock("typst", "]")
  return out
end

--- `key: "value"` pairs of a Typst argument list, skipping empty values.
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
