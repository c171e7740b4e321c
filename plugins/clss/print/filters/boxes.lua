-- Boxed blocks: case studies and notes. The Markdown pre-pass (print/pdf.py) turns
--   !!! case "Title"  + a 4-space-indented body
-- into a fenced div `::: {.case title="Title"}`; this filter turns the div into
-- `#clss-box(kind: "case", title: "Title")[ … ]` of templates/base.typ.
package.path = (PANDOC_SCRIPT_FILE:match("(.*[/\\])") or "./") .. "?.lua;" .. package.path
local U = require "typst_util"

local KINDS = { case = true, note = true, warning = true, tip = true, info = true, important = true }

local function Div(div)
  for _, class in ipairs(div.classes) do
    if KINDS[class] then
      local args = U.args { { "kind", U.str(class) }, { "title", div.attributes.title and U.str(div.attributes.title) } }
      return U.call("clss-box", args, div.content)
    end
  end
  return nil
end

return { { Div = Div } }
