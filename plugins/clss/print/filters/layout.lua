-- Layout wrappers written by the Markdown pre-pass (print/pdf.py):
--   ::: {.back-cover}            → #back-cover[ … ]           (report: summary on the back cover)
--   ::: {.sheet quartier="id"}   → // clss-sheet-start: id + #quartier-sheet(id: "id")[ … ]   (quartier sheets)
package.path = (PANDOC_SCRIPT_FILE:match("(.*[/\\])") or "./") .. "?.lua;" .. package.path
local U = require "typst_util"

local function Div(div)
  if div.classes:includes("back-cover") then
    return U.call("back-cover", "", div.content)
  end
  if div.classes:includes("sheet") then
    local id = div.attributes.quartier or ""
    local out = U.call("quartier-sheet", "id: " .. U.str(id), div.content)
    -- markers to cut the combined body into one body per sheet (print/pdf.py)
    table.insert(out, 1, pandoc.RawBlock("typst", "// clss-sheet-start: " .. id:gsub("[^%w-]", "")))
    out[#out + 1] = pandoc.RawBlock("typst", "// clss-sheet-end")
    return out
  end
  return nil
end

return { { Div = Div } }
