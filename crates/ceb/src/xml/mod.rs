//! Reading and writing XML: the namespaces of the CEB world, a guarded pull
//! reader and a writer that produces the official layout.

mod reader;
mod writer;

pub use reader::{Element, Limits, XmlIn};
pub use writer::XmlOut;

/// The namespaces a CEB document uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ns {
    /// Business messages: `http://www.chinaport.gov.cn/ceb`.
    Ceb,
    /// Transport envelopes (`DxpMsg`, `DxpMsgSv`): `http://www.chinaport.gov.cn/dxp`.
    Dxp,
    /// W3C XML digital signatures: `http://www.w3.org/2000/09/xmldsig#`.
    Ds,
}

impl Ns {
    /// The namespace URI.
    pub const fn uri(self) -> &'static str {
        match self {
            Ns::Ceb => "http://www.chinaport.gov.cn/ceb",
            Ns::Dxp => "http://www.chinaport.gov.cn/dxp",
            Ns::Ds => "http://www.w3.org/2000/09/xmldsig#",
        }
    }

    /// The prefix this codec writes (the one the official samples use).
    pub const fn prefix(self) -> &'static str {
        match self {
            Ns::Ceb => "ceb",
            Ns::Dxp => "dxp",
            Ns::Ds => "ds",
        }
    }

    /// The namespace with this URI, if it is one of ours.
    pub fn from_uri(uri: &str) -> Option<Ns> {
        [Ns::Ceb, Ns::Dxp, Ns::Ds]
            .into_iter()
            .find(|ns| ns.uri() == uri)
    }
}
