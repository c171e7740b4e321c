-- Images keep their alt text in print (pandoc's typst writer drops it, and PDF/UA-1 then fails
-- with "missing alt text"). Every image becomes `#clss-image("/path", alt: "…")`, a function of
-- templates/base.typ that sizes QR codes and charts; the path is made root-absolute so that it
-- resolves the same from any template file.
package.path = (PANDOC_SCRIPT_FILE:match("(.*[/\\])") or "./") .. "?.lua;" .. package.path
local U = require "typst_util"

local function Image(img)
  local alt = pandoc.utils.stringify(img.caption)
  if alt == "" then
    alt = img.title or ""
  end
  local src = img.src
  if not src:match("^/") and not src:match("^%a+:") then
    src = "/" .. src
  end
  local args = { U.str(src) }
  args[#args + 1] = "alt: " .. U.str(alt)
  if img.attributes.width then
    args[#args + 1] = "width: " .. U.str(img.attributes.width)
  end
  return pandoc.RawInline("typst", "#clss-image(" .. table.concat(args, ", ") .. ")")
end

return { { Image = Image } }
