-- Runs the print filters of this folder, one concern per file, in as few document traversals as
-- possible: data-blocks first, then headings, boxes, quotes and layout together (block-level
-- functions only). alt-text.lua runs after this file, and only when the Markdown has images
-- (print/pdf.py): an Image function makes pandoc walk every inline of the document.
-- Each concern file is also a standalone pandoc filter (it returns its filter tables).
local dir = PANDOC_SCRIPT_FILE:match("(.*[/\\])") or "./"
package.path = dir .. "?.lua;" .. package.path

local function load(name)
  return dofile(dir .. name .. ".lua")
end

local passes = {}
for _, f in ipairs(load("data-blocks")) do
  passes[#passes + 1] = f
end

-- merge the single-table concerns into one traversal; several concerns may handle Div: the
-- first one that returns something wins
local merged = {}
for _, name in ipairs { "headings", "boxes", "quotes", "layout" } do
  for _, filter in ipairs(load(name)) do
    for key, fn in pairs(filter) do
      local previous = merged[key]
      if previous then
        merged[key] = function(el)
          local result = previous(el)
          if result ~= nil then
            return result
          end
          return fn(el)
        end
      else
        merged[key] = fn
      end
    end
  end
end
passes[#passes + 1] = merged

return passes
